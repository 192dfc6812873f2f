"""Resident memory: idle without a model, with the model loaded, and growth over repeated jobs.

Run as ``python -m hkpilot.bench.memory_probe MODEL N_CTX THREADS JOBS WORKDIR PARALLEL`` (a child of
``hkpilot bench``, so nothing else the benchmark loaded is counted). Prints one JSON line.
Each job is a whole translate job on a small .docx (read, translate, write), the work a
person repeats all day; growth is measured from the end of the first job (caches warm) to
the end of the last.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path


def rss_mb() -> float:
    """Resident memory of this process in MiB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def main() -> None:
    model, workdir = Path(sys.argv[1]), Path(sys.argv[5])
    n_ctx, threads, jobs, parallel = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[6])
    import docx

    from hkpilot.app.session import Session
    from hkpilot.engines.base import CancelToken
    from hkpilot.engines.local import LocalEngine
    from hkpilot.tasks.translate import translate_document

    session = Session()
    source = workdir / "memory_source.docx"
    d = docx.Document()
    d.add_heading("Notice", level=1)
    d.add_paragraph("The office will be closed on Monday.")
    d.save(str(source))
    doc = session.open_document(source)
    gc.collect()
    out: dict[str, float | int] = {"idle_mb": rss_mb()}
    t0 = time.perf_counter()
    engine = LocalEngine(model, n_ctx=n_ctx, n_threads=threads, parallel=parallel)
    out["load_s"] = time.perf_counter() - t0
    out["model_mb"] = rss_mb()
    after: list[float] = []
    for i in range(jobs + 1):
        doc = session.open_document(source)
        for _event in translate_document(doc, engine, "zh-HK", workdir / f"memory_out_{i % 2}.docx", CancelToken()):
            pass
        gc.collect()
        after.append(rss_mb())
    engine.close()
    out.update(jobs=jobs, first_job_mb=after[0], last_job_mb=after[-1],
               growth_pct=(after[-1] - after[0]) / after[0] * 100 if after[0] else 0.0, peak_job_mb=max(after))
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
