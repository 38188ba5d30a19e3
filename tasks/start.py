"""Create the one long-running run of a case (a zaak's lifecycle, a dialoog), once."""

from __future__ import annotations


def start_case_run(
    deployment: str,
    naam: str,
    parameters: dict,
    tags: list[str],
    idempotency_key: str,
    opvolger: str | None = None,
) -> str:
    """The case's key (or the lifecycle's) is the idempotency key: starting twice returns
    the same run. A run that replaces a lost or cancelled one adds `opvolger`, naming the run
    it replaces, so two reconciles at the same moment create one successor."""
    # lazy: Prefect (~1.5 s CPU); via tasks.dialoog the gateway and `meerzorg dialoog` import this
    from prefect.deployments import run_deployment

    run = run_deployment(
        deployment,
        parameters=parameters,
        flow_run_name=naam,
        tags=tags,
        idempotency_key=idempotency_key + (f"-{opvolger}" if opvolger else ""),
        timeout=0,
        as_subflow=False,
        # Prefect picks the async variant when an event loop runs in this thread (a browser
        # test's, a notebook's): this call must stay synchronous everywhere.
        _sync=True,
    )
    return str(run.id)
