import subprocess
import sys

import miv.publish


def test_public_names():
    assert sorted(miv.publish.__all__) == ["Decision", "Disclosure", "Policy", "Results", "ResultsError", "disclose", "key_figures", "prepare", "write_publications"]
    assert all(hasattr(miv.publish, name) for name in miv.publish.__all__)


def test_publish_does_not_import_the_web_store_or_pipeline():
    code = "import sys, miv.publish; print(sorted(m for m in sys.modules if m.startswith(('miv.web', 'miv.store', 'miv.pipeline', 'miv.cases'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
