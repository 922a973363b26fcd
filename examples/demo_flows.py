"""A small ETL flow used by `make demo` and the README quickstart."""

import random

from dagy import RunContext, flow, task


@task(retries=2, retry_delay_seconds=[0.1, 0.2])
def extract(source: str, rows: int) -> list[dict]:
    """Pretend to fetch rows; the first attempt fails now and then, to show retries."""
    if RunContext.current().attempt == 1 and random.random() < 0.3:
        raise ConnectionError(f"{source} did not answer")
    return [{"id": i, "value": i * 10, "source": source} for i in range(rows)]


@task
def enrich(row: dict) -> dict:
    return {**row, "value_squared": row["value"] ** 2}


@task
def summarize(rows: list[dict]) -> dict:
    return {"rows": len(rows), "total": sum(r["value"] for r in rows)}


@task(timeout_seconds=10)
def load(summary: dict, enriched: list[dict]) -> dict:
    return {"loaded": len(enriched), **summary}


@flow(name="etl_pipeline", version="1.0.0", tags={"team": "data-eng"})
def etl_pipeline(source: str = "demo", rows: int = 10):
    """Extract rows, enrich each one in parallel, summarize and load."""
    raw = extract(source, rows)
    enriched = enrich.map(raw)
    summary = summarize(raw)
    return load(summary, enriched)
