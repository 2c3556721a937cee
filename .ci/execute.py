#!/usr/bin/env python
"""Re-execute notebooks in place so their outputs (figures, numbers, samples) are committed and visible on
GitHub and in Colab before anyone runs them. Cells marked `#| eval: false`, `#| slow` or `#| gpu` are not run.

    python .ci/execute.py                      # the lessons (nbs/0N_*.ipynb, 07b_chat) and the front page
    python .ci/execute.py nbs/03_model.ipynb   # just these

Run it with the same environment as the tests (README, "Developing"); it stops at the first error and then
writes nothing for that notebook. `nbdev_clean` runs on each afterwards, so
the result is ready to commit. Figures are stored as PNG at 80 dpi to keep the notebooks small."""
import os, re, sys, time, subprocess
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

SKIP = {'slow', 'gpu'}
root = Path(__file__).resolve().parent.parent

def lessons()->list:
    "The chapter notebooks (lessons 00-08 and 07b), committed with their outputs (CI checks they have some)."
    return sorted(p for p in (root/'nbs').glob('0*.ipynb') if re.fullmatch(r'0\d_\w+\.ipynb|07b_chat\.ipynb', p.name))

def skip(cell):
    "True for cells the tests skip too: markdown, `#| eval: false`, `#| slow`, `#| gpu`."
    if cell.cell_type != 'code': return True
    flags = [line[3:].strip() for line in cell.source.splitlines() if line.startswith('#|')]
    return any(re.fullmatch(r'eval:\s*false', f) or f in SKIP for f in flags)

def execute(path:Path):
    nb, t = read_nb(path), time.time()
    for c in nb.cells:
        if c.cell_type == 'code': c.outputs, c.execution_count = [], None
    cwd = os.getcwd(); os.chdir(path.parent)
    sh = CaptureShell(path)
    sh.run("%config InlineBackend.figure_formats = ['png']\nimport matplotlib; matplotlib.rcParams['figure.dpi'] = 80")
    try: sh.run_all(nb, exc_stop=True, preproc=skip)
    finally: os.chdir(cwd)
    write_nb(nb, path)
    print(f'{path.relative_to(root)}: executed in {time.time() - t:.0f} s', flush=True)

if __name__ == '__main__':
    os.environ.setdefault('MPLBACKEND', 'module://matplotlib_inline.backend_inline')
    paths = [Path(p).resolve() for p in sys.argv[1:]] or lessons() + [root/'nbs/index.ipynb']
    for p in paths:
        execute(p)
        subprocess.run(['nbdev_clean', '--fname', str(p)], cwd=root, check=True)
