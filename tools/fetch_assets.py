"""Install the front-end files listed in assets.json from the npm registry.

Downloads each package tarball once, checks it against the integrity hash pinned in
assets.json, and extracts only the listed files. Needs no Node.js: a fresh machine with
Python and make is enough. Files already present with the right content are left alone.
"""

import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = os.environ.get("NPM_REGISTRY", "https://registry.npmjs.org")


def tarball_url(name: str, version: str) -> str:
    base = name.split("/")[-1]
    return f"{REGISTRY}/{name}/-/{base}-{version}.tgz"


def main() -> int:
    spec = json.loads((ROOT / "assets.json").read_text())
    for pkg in spec["packages"]:
        targets = {src: ROOT / dest for src, dest in pkg["files"].items()}
        stamp = ROOT / ".venv" / "npm" / f"{pkg['name'].replace('/', '_')}@{pkg['version']}.ok"
        if stamp.exists() and all(t.exists() for t in targets.values()):
            continue
        url = tarball_url(pkg["name"], pkg["version"])
        with urllib.request.urlopen(url, timeout=60) as resp:
            data = resp.read()
        algo, expected = pkg["integrity"].split("-", 1)
        actual = base64.b64encode(hashlib.new(algo, data).digest()).decode()
        if actual != expected:
            print(f"integrity mismatch for {pkg['name']}@{pkg['version']}", file=sys.stderr)
            return 1
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for src, target in targets.items():
                member = tar.extractfile(src)
                if member is None:
                    print(f"{src} not found in {pkg['name']}", file=sys.stderr)
                    return 1
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(member.read())
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(url + "\n")
        print(f"installed {pkg['name']}@{pkg['version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
