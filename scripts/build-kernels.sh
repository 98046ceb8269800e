#!/usr/bin/env bash
# Rebuild the WebAssembly kernels under src/kernels/ from their C sources, and record in
# <name>.manifest.json the source's and the binary's sha256 with the compiler and flags used.
# The .wasm files are committed: `npm ci` needs no C compiler. test/kernels.test.ts checks that
# each committed binary is the one its manifest names and that the manifest's source hash is the
# source's, and, where clang-14 is installed, rebuilds it and compares the bytes.
#
#   apt-get install -y --no-install-recommends clang-14 lld-14   # Debian 12
#   npm run build:kernels                 # or: scripts/build-kernels.sh [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-src/kernels}"
CC="${CC:-clang-14}"
FLAGS=(--target=wasm32 -O3 -msimd128 -mbulk-memory -ffp-contract=off -nostdlib -Wl,--no-entry -Wl,--export=__heap_base -Wl,--strip-all)
command -v "$CC" >/dev/null || { echo "build-kernels: $CC not found (apt-get install -y --no-install-recommends clang-14 lld-14)" >&2; exit 2; }
mkdir -p "$OUT"
for src in src/kernels/*.c; do
  name="$(basename "$src" .c)"
  "$CC" "${FLAGS[@]}" -o "$OUT/$name.wasm" "$src"
  if [ "$OUT" = "src/kernels" ]; then
    cat > "$OUT/$name.manifest.json" <<JSON
{
  "source": "$src",
  "sourceSha256": "$(sha256sum "$src" | cut -d' ' -f1)",
  "wasmSha256": "$(sha256sum "$OUT/$name.wasm" | cut -d' ' -f1)",
  "compiler": "$("$CC" --version | head -1)",
  "flags": "${FLAGS[*]}"
}
JSON
  fi
  echo "built $OUT/$name.wasm ($(stat -c %s "$OUT/$name.wasm") bytes)"
done
