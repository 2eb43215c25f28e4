"""Database errors carry no event values: the engine hides statement parameters, so a failed write that is
logged or dead-lettered names the statement and the problem, never the personal data it held."""

import pytest
from sqlalchemy import CheckConstraint, Column, Integer, MetaData, String, Table, exc, insert

from incidents.persistence.database import make_engine

PERSONAL = "jan.jansen@example.nl"


def test_a_failed_insert_names_no_parameter_values(database_url):
    engine = make_engine(database_url)
    table = Table("t_hidden", MetaData(), Column("id", Integer, primary_key=True),
                  Column("name", String(5), CheckConstraint("length(name) <= 5")))  # SQLite ignores the 5
    table.metadata.create_all(engine)
    try:
        with pytest.raises(exc.DBAPIError) as failure, engine.begin() as conn:
            conn.execute(insert(table).values(id=1, name=PERSONAL))
        assert PERSONAL not in str(failure.value) and "parameters hidden" in str(failure.value)
    finally:
        table.metadata.drop_all(engine)
        engine.dispose()
