"""Benchmarks of danvan at national scale: ``python -m bench [--db sqlite|postgres|both] [--quick]``.

The runner (``bench.runner``) starts one worker process per database (``bench.worker``),
because Django reads DATABASE_URL / DANVAN_SQLITE_PATH once, at ``django.setup()``. Each
worker builds its own database (migrate, official units, ~60,000 demo villages), times the
operations in ``bench.cases`` against a trivial baseline measured in the same run, and
writes JSON under ``bench/results/`` (git-ignored). See docs/performance.md.
"""
