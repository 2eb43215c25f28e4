# The datalek image used by docker-compose.yml (worker and, later, web).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY datalek datalek
COPY incidents incidents
COPY streams streams
COPY notifications notifications
COPY templates templates
RUN pip install --no-cache-dir '.[postgres]'
RUN useradd --system datalek
USER datalek
ENTRYPOINT ["datalek"]
CMD ["run"]
