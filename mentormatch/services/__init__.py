"""Use cases: each public function is one user action and one transaction (docs/architecture.md)."""
from ..core.errors import ServiceError

__all__ = ["ServiceError"]
