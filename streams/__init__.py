"""The only package that knows Kafka and Faust: wire schemas, topics, agents, ingestion."""
