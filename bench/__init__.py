"""Speed benchmarks for lossylib: ``python -m bench`` (or ``make bench``). See README.md."""
