#!/bin/sh
# Validates CycloneDX XML documents with xmllint against the official XSD of their namespace
# version (bom-1.X.xsd). The XSDs import the SPDX licence XSD by URL; the catalog that ships
# next to them (xmlcatalog.xml) maps that URL to the local spdx.xsd, and --nonet forbids any
# download. Schemas come from $WAYBILL_SHARED/corpus/documents/cyclonedx-schema (default:
# ../shared next to the repository) and are never copied into the repository.
#
#   tools/validate/validate-xml.sh FILE...
#
# Prints "VALID <file>" or "INVALID <file>" with xmllint's first errors; exits 0 when every
# file is valid, 1 when one is invalid, 2 on a usage error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
shared=${WAYBILL_SHARED:-$here/../../../shared}
dir=$shared/corpus/documents/cyclonedx-schema
if [ $# -eq 0 ]; then
  echo "usage: validate-xml.sh FILE..." >&2
  exit 2
fi
if [ ! -f "$dir/bom-1.6.xsd" ] || ! command -v xmllint >/dev/null 2>&1; then
  echo "validate-xml.sh: need xmllint and $dir/bom-1.6.xsd (set WAYBILL_SHARED)" >&2
  exit 2
fi
export XML_CATALOG_FILES="$dir/xmlcatalog.xml"
rc=0
for f in "$@"; do
  if [ ! -f "$f" ]; then
    echo "validate-xml.sh: no such file: $f" >&2
    exit 2
  fi
  # The namespace names the version: http://cyclonedx.org/schema/bom/1.6
  v=$(head -c 4096 "$f" | grep -o 'cyclonedx.org/schema/bom/1\.[0-9]*' | head -n 1 | sed 's|.*/||')
  xsd="$dir/bom-${v:-1.6}.xsd"
  [ -f "$xsd" ] || xsd="$dir/bom-1.6.xsd"
  if out=$(xmllint --noout --nonet --schema "$xsd" "$f" 2>&1); then
    echo "VALID $f"
  else
    rc=1
    echo "INVALID $f"
    printf '%s\n' "$out" | grep -v ' validates$' | head -n 5 | sed 's/^/  /'
  fi
done
exit $rc
