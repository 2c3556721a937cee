#!/usr/bin/env bash
# The project's test command (README.md, "Run the tests"): install, check the notebooks are clean and
# the library equals the notebooks' export, lint the library (ruff), then run every notebook's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
pip install -q torch==2.13.0 2>&1 | grep -v "is ignored" || true
pip install -q -e ".[dev]" 2>&1 | grep -v "is ignored" || true

before=$(git status --porcelain)
nbdev_export
nbdev_clean
nbdev_clean --fname colab
after=$(git status --porcelain)
if [ "$before" != "$after" ]; then
  echo "FAIL: nbdev_export/nbdev_clean changed tracked files; run them and commit the result:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  git --no-pager diff --stat >&2
  exit 1
fi
echo "sync: notebooks clean, minigpt/ equals nbdev_export"
# The lessons are committed executed (.ci/execute.py), so their figures and numbers show on GitHub and in Colab.
python - <<'PY'
import json, re, sys, pathlib
bare = [p.name for p in sorted(pathlib.Path('nbs').glob('0*.ipynb')) if re.fullmatch(r'0\d_\w+\.ipynb|07b_chat\.ipynb|05f_optim\.ipynb|05g_average\.ipynb', p.name)
        and not any(c.get('outputs') for c in json.loads(p.read_text())['cells'])]
if bare: sys.exit(f"FAIL: lesson notebooks without outputs: {', '.join(bare)}; run `python .ci/execute.py` and commit.")
# The Colab labs too, executed in their CI mode (MINIGPT_LAB=tiny) by `python .ci/execute.py --labs`.
labs = sorted(pathlib.Path('colab').glob('0*.ipynb'))
bare = [p.name for p in labs if not any(c.get('outputs') for c in json.loads(p.read_text())['cells'])]
if len(labs) < 3 or bare:
    sys.exit(f"FAIL: Colab labs without outputs: {', '.join(bare) or 'none found'}; run `python .ci/execute.py --labs` "
             "and commit.")
PY
echo "outputs: every lesson notebook and Colab lab is committed with its outputs"

# Lint the library (the notebooks' exported code); the rules are in pyproject.toml. Any violation fails CI.
ruff check minigpt
# Line length 120 (ruff's E501 is off, see pyproject.toml): every line but nbdev's generated `__all__ = [...]`.
python - <<'PY'
import pathlib, sys
long = [f'{p}:{i}: {len(l)} > 120 characters' for p in sorted(pathlib.Path('minigpt').glob('*.py')) if p.name != '_modidx.py'
        for i, l in enumerate(p.read_text().splitlines(), 1) if len(l) > 120 and not l.startswith('__all__ = ')]
if long: sys.exit('\n'.join(long))
PY
echo "lint: ruff check minigpt and line length 120 passed"

# Two notebooks run at once on CI's 2 cores, so each uses one thread: two threads per process on a
# busy 2-core machine make every small op wait for a descheduled thread (10x slower, measured).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
t0=$(date +%s)
nbdev_test --n_workers "${NBDEV_WORKERS:-2}" --timing
echo "nbdev_test: $(( $(date +%s) - t0 )) s"
# The Colab labs, shrunk to seconds (MINIGPT_LAB=tiny), one after the other: lab 2 starts from lab 1's run.
# nbdev_test sorts the paths, so the labs run first, then colab/solutions/ (self-contained: they train their own
# tiny runs in temporary folders, and check the reference answers strictly).
MINIGPT_LAB=tiny MINIGPT_LAB_DIR="$(mktemp -d)" nbdev_test --path colab --n_workers 1
echo "colab labs and their solutions: passed"
# nbdev_test stops with an error on the first failing notebook, so reaching here means all passed.
n=$(find nbs -name '[!_.]*.ipynb' -not -path '*/.*' | wc -l)
echo "notebooks: $n passed, 0 failed"
