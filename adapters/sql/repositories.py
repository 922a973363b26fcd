"""SQLAlchemy Core repositories (no ORM): rows are mapped to and from domain dataclasses.

The implementations live in repos_identity, repos_catalog and repos_runs; shared rules in rows.
"""

from dagy.adapters.sql.repos_catalog import SqlDeploymentRepository, SqlFlowRepository
from dagy.adapters.sql.repos_identity import (SqlApiKeyRepository, SqlMembershipRepository,
                                              SqlOrgRepository, SqlUserRepository)
from dagy.adapters.sql.repos_runs import SqlOutboxRepository, SqlRunRepository, SqlTaskRunRepository
from dagy.adapters.sql.rows import DatastoreError

__all__ = ["DatastoreError", "SqlApiKeyRepository", "SqlDeploymentRepository",
           "SqlFlowRepository", "SqlMembershipRepository", "SqlOrgRepository",
           "SqlOutboxRepository", "SqlRunRepository", "SqlTaskRunRepository", "SqlUserRepository"]
