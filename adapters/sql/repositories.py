"""SQLAlchemy Core repositories (no ORM): rows are mapped to and from domain dataclasses.

The implementations live in repos_catalog and repos_runs; shared rules in rows.
"""

from dagy.adapters.sql.repos_catalog import (SqlApiKeyRepository, SqlDeploymentRepository,
                                        SqlFlowRepository, SqlOrgRepository, SqlUserRepository)
from dagy.adapters.sql.repos_runs import SqlOutboxRepository, SqlRunRepository, SqlTaskRunRepository
from dagy.adapters.sql.rows import DatastoreError

__all__ = ["DatastoreError", "SqlApiKeyRepository", "SqlDeploymentRepository",
           "SqlFlowRepository", "SqlOrgRepository", "SqlOutboxRepository", "SqlRunRepository",
           "SqlTaskRunRepository", "SqlUserRepository"]
