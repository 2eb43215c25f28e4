"""In-memory fakes of the ports (not mocks): they behave like the real adapters.

They live in ``incidents.memory`` because offline replay runs the same use cases over them.
"""

from incidents.memory import MemoryRepository as FakeRepository
from incidents.memory import MemoryUnitOfWork as FakeUnitOfWork

__all__ = ["FakeRepository", "FakeUnitOfWork"]
