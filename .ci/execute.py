#!/usr/bin/env python
"""Re-execute notebooks in place so their outputs (figures, numbers, samples) are committed and visible on
GitHub and in Colab before anyone runs them. Cells marked `#| eval: false`, `#| slow` or `#| gpu` are not run.

    python .ci/execute.py                      # the lessons (nbs/00-08, 07b, 05f, 05g) and the front page
    python .ci/execute.py nbs/03_model.ipynb   # just these
    python .ci/execute.py --labs               # the three Colab labs, in their CI mode (MINIGPT_LAB=tiny)
    MINIGPT_ABLATION=full python .ci/execute.py nbs/09_ablations.ipynb   # its full table: ~30 min, quiet machine

Run it with the same environment as the tests (README, "Developing"); it stops at the first error and then
writes nothing for that notebook. `nbdev_clean` runs on each afterwards, so
the result is ready to commit. Figures are stored as PNG at 80 dpi to keep the notebooks small.

`--labs` runs colab/01_pretrain, 02_chat and 03_gpt2_chatbot in that order (lab 2 starts from lab 1's run) with
MINIGPT_LAB=tiny and a temporary MINIGPT_LAB_DIR, as CI does; in their outputs that folder reads `runs`, the labs'
default, and any other path of this machine is replaced too (it fails if one is left); then
`nbdev_clean --fname colab`."""
import os, re, sys, time, shutil, tempfile, subprocess
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

SKIP = {'slow', 'gpu'}
root = Path(__file__).resolve().parent.parent

def lessons()->list:
    "The chapter notebooks (lessons 00-08, 07b, 05f, 05g), committed with their outputs (CI checks they have some)."
    return sorted(p for p in (root/'nbs').glob('0*.ipynb')
                  if re.fullmatch(r'0[0-8]_\w+\.ipynb|07b_chat\.ipynb|05f_optim\.ipynb|05g_average\.ipynb', p.name))

def skip(cell):
    "True for cells the tests skip too: markdown, `#| eval: false`, `#| slow`, `#| gpu`."
    if cell.cell_type != 'code': return True
    flags = [line[3:].strip() for line in cell.source.splitlines() if line.startswith('#|')]
    return any(re.fullmatch(r'eval:\s*false', f) or f in SKIP for f in flags)

LABS = ('01_pretrain', '02_chat', '03_gpt2_chatbot')
LOCAL = re.compile(r'(?<![\w.~])/(?:tmp|work|home|root|Users|private|var|opt|usr|mnt)/\S*')   # a path of this machine

def replace_paths(x, subs:list):
    "`x` (an output: dicts, lists, strings) with each (old, new) of `subs` replaced in every string but images."
    if isinstance(x, str):
        for old, new in subs: x = x.replace(old, new)
        return x
    if isinstance(x, list): return [replace_paths(o, subs) for o in x]
    if isinstance(x, dict):
        return type(x)({k: v if k.startswith('image/') else replace_paths(v, subs) for k, v in x.items()})
    return x

def local_paths(nb)->list:
    "The absolute paths of this machine left in a notebook's outputs (text only: images are base64)."
    found = []
    def walk(x):
        if isinstance(x, str): found.extend(LOCAL.findall(x))
        elif isinstance(x, list): [walk(o) for o in x]
        elif isinstance(x, dict): [walk(v) for k, v in x.items() if not k.startswith('image/')]
    walk([c.outputs for c in nb.cells if c.cell_type == 'code'])
    return sorted(set(found))

def execute(path:Path, subs:list=()):
    nb, t = read_nb(path), time.time()
    for c in nb.cells:
        if c.cell_type == 'code': c.outputs, c.execution_count = [], None
    cwd = os.getcwd(); os.chdir(path.parent)
    sh = CaptureShell(path)
    sh.run("%config InlineBackend.figure_formats = ['png']\nimport matplotlib; matplotlib.rcParams['figure.dpi'] = 80")
    try: sh.run_all(nb, exc_stop=True, preproc=skip)
    finally: os.chdir(cwd)
    if subs:
        for c in nb.cells:
            if c.cell_type == 'code': c.outputs = replace_paths(c.outputs, subs)
        if left := local_paths(nb):
            sys.exit(f'{path.name}: paths of this machine left in its outputs: {left[:5]}; nothing written.')
    write_nb(nb, path)
    print(f'{path.relative_to(root)}: executed in {time.time() - t:.0f} s', flush=True)

def execute_labs():
    "The labs in order, in their CI mode, in a temporary run folder that their outputs show as `runs`."
    tmp = Path(tempfile.mkdtemp(prefix='minigpt_labs_'))
    os.environ.update(MINIGPT_LAB='tiny', MINIGPT_LAB_DIR=str(tmp))
    home, cache = str(Path.home()), os.environ.get('MINIGPT_CACHE_DIR', str(Path.home()/'.cache/minigpt'))
    subs = [(str(tmp.resolve()), 'runs'), (str(tmp), 'runs'), (str(root), '.'), (cache, '~/.cache/minigpt'),
            (os.environ.get('MINIGPT_DATA_DIR') or '\0', '~/.cache/minigpt'), (sys.prefix, '<python>'), (home, '~')]
    try:
        for name in LABS: execute(root/'colab'/f'{name}.ipynb', subs)
    finally: shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(['nbdev_clean', '--fname', 'colab'], cwd=root, check=True)

if __name__ == '__main__':
    os.environ.setdefault('MPLBACKEND', 'module://matplotlib_inline.backend_inline')
    if sys.argv[1:] == ['--labs']: sys.exit(execute_labs())
    paths = [Path(p).resolve() for p in sys.argv[1:]] or lessons() + [root/'nbs/index.ipynb']
    for p in paths:
        execute(p)
        subprocess.run(['nbdev_clean', '--fname', str(p)], cwd=root, check=True)
