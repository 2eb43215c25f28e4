# The datalek image used by docker-compose.yml (worker and, later, web).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY datalek datalek
COPY incidents incidents
COPY streams streams
COPY notifications notifications
COPY templates templates
# editable: templates/ stays at the top level of the source tree, where rendering finds it
RUN pip install --no-cache-dir -e '.[postgres]'
RUN useradd --system datalek
USER datalek
ENTRYPOINT ["datalek"]
CMD ["run"]
