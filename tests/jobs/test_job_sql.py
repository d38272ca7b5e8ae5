"""Listing jobs with their relations runs the same number of SQL statements for 10 jobs as
for 100 (API.md "Lists": every relation through per-request DataLoaders)."""

from __future__ import annotations

from typing import Any

from db.models import JobNote, JobPhoto, StatusChange
from domain.enums import ActorType
from domain.jobs import JobStatus, NoteAuthorRole, PhotoStage
from settings import QueryLimits
from tests.support.graphql import GraphQLClient
from tests.support.job_support import Catalog, catalog

NESTED = """{
  manufacturingJobs(first: 100) {
    totalCount
    edges { node {
      jobNumber isUrgent daysUntilDue allowedTransitions
      manufacturer { name }
      productFamily { code }
      order { id }
      items { quantity size variant { sku product { name family { code } } } }
      statusHistory { fromStatus toStatus }
      jobNotes { content }
      photos(first: 3) { totalCount edges { node { url } } }
      issues { description }
    } }
  }
}"""


async def _add(world: Catalog, count: int) -> None:
    for n in range(count):
        job = await world.job(JobStatus.IN_PRODUCTION, items=2)
        async with world.database.transaction() as session:
            session.add(
                StatusChange(
                    entity_type="ManufacturingJob",
                    entity_id=job.id,
                    from_status="ACCEPTED",
                    to_status="IN_PRODUCTION",
                    version=1,
                    actor_type=ActorType.SYSTEM,
                )
            )
            session.add(
                JobNote(job_id=job.id, content=f"note {n}", author_role=NoteAuthorRole.ADMIN)
            )
            session.add(JobPhoto(job_id=job.id, url=f"https://p.example/{n}", stage=PhotoStage.QC))


async def _statements(make_client: Any) -> tuple[int, dict[str, Any]]:
    client: GraphQLClient
    async with make_client(debug_sql=True, limits=QueryLimits(max_cost=1_000_000)) as client:
        body = await client.raw(NESTED)
    assert "errors" not in body, body.get("errors")
    return body["extensions"]["debug"]["sqlStatements"], body


async def test_listing_100_jobs_runs_the_statements_of_10(
    client: GraphQLClient, database: Any, make_client: Any
) -> None:
    world = await catalog(client, database)
    await _add(world, 10)
    with_10, body = await _statements(make_client)
    assert body["data"]["manufacturingJobs"]["totalCount"] == 10

    await _add(world, 90)
    with_100, body = await _statements(make_client)
    edges = body["data"]["manufacturingJobs"]["edges"]
    assert len(edges) == 100
    node = edges[0]["node"]
    assert len(node["items"]) == 2
    assert node["items"][0]["variant"]["product"]["family"]["code"] == world.family["code"]
    assert node["statusHistory"] == [{"fromStatus": "ACCEPTED", "toStatus": "IN_PRODUCTION"}]
    assert node["photos"]["totalCount"] == 1 and len(node["jobNotes"]) == 1
    assert node["order"]["id"]

    assert with_10 == with_100
    # Page, count, manufacturers, families, orders, items, variants, products, their
    # families, history, notes, photo pages, photo counts, issues.
    assert with_100 <= 15
