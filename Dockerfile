# The datalek image used by docker-compose.yml (worker and, later, web).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY datalek datalek
COPY incidents incidents
COPY streams streams
COPY notifications notifications
COPY templates templates
# a normal install: templates, rules, migrations and configuration are package data of the wheel
# (datalek/templates is a link to the top-level templates/, followed when the wheel is built)
RUN pip install --no-cache-dir '.[postgres]' && rm -rf /app/*
RUN useradd --system datalek
USER datalek
ENTRYPOINT ["datalek"]
CMD ["run"]
