#!/usr/bin/env bash
# make-certs.sh -- serving certificates for gpu-slicer, with openssl only.
#
# Makes a private CA and one serving certificate per Service (gpu-slicer-webhook,
# gpu-slicer-extender) valid for the Service's in-cluster DNS names, writes them as
# kubernetes.io/tls Secrets, and fills the MutatingWebhookConfiguration's caBundle.
#
# Usage: certs/make-certs.sh [options]
#   --out DIR         output directory (default: ./gpu-slicer-certs); holds the CA key: keep it private
#   --namespace NS    namespace of the Services and Secrets (default: gpu-slicer)
#   --days N          validity of the serving certificates in days (default: 365)
#   --ca-days N       validity of a new CA in days (default: 3650)
#   --manifests DIR   the kustomization the overlay builds on (default: the repo's manifests/)
#   --apply           also apply to the current kubectl context: Secrets (create/update) and
#                     the caBundle patch of mutatingwebhookconfiguration/gpu-slicer
#   --rotate          re-issue the serving certificates with the CA already in --out
#                     (the caBundle stays valid; pods pick the new Secret up without a restart)
#   --rotate-ca       make a new CA; the caBundle carries new + previous CA so that servers
#                     still presenting old-CA certificates keep working during the switch
#   -h, --help        this help
#
# Without --apply nothing touches a cluster; the script writes
#   DIR/ca.crt, DIR/ca.key                          the CA (DIR/ca-previous.crt after --rotate-ca)
#   DIR/<service>/tls.crt, tls.key, ca.crt          per Service
#   DIR/overlay/kustomization.yaml                  kustomize overlay: manifests/ + Secrets + caBundle
#   DIR/overlay/secret-<service>-tls.yaml           the Secrets
#   DIR/overlay/cabundle-patch.yaml                 JSON6902 patch filling webhooks[0].clientConfig.caBundle
# so `kubectl apply -k DIR/overlay` installs gpu-slicer with working TLS in one step.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="./gpu-slicer-certs"
NAMESPACE="gpu-slicer"
DAYS=365
CA_DAYS=3650
MANIFESTS="${SCRIPT_DIR}/../manifests"
APPLY=false
ROTATE=false
ROTATE_CA=false
SERVICES=(gpu-slicer-webhook gpu-slicer-extender)
WEBHOOK_CONFIG=gpu-slicer

die() { echo "make-certs: $*" >&2; exit 1; }
log() { echo "make-certs: $*"; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="${2:?--out needs a directory}"; shift 2 ;;
    --out=*) OUT="${1#*=}"; shift ;;
    --namespace|-n) NAMESPACE="${2:?--namespace needs a name}"; shift 2 ;;
    --namespace=*) NAMESPACE="${1#*=}"; shift ;;
    --days) DAYS="${2:?--days needs a number}"; shift 2 ;;
    --days=*) DAYS="${1#*=}"; shift ;;
    --ca-days) CA_DAYS="${2:?--ca-days needs a number}"; shift 2 ;;
    --ca-days=*) CA_DAYS="${1#*=}"; shift ;;
    --manifests) MANIFESTS="${2:?--manifests needs a directory}"; shift 2 ;;
    --manifests=*) MANIFESTS="${1#*=}"; shift ;;
    --apply) APPLY=true; shift ;;
    --rotate) ROTATE=true; shift ;;
    --rotate-ca) ROTATE_CA=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

[[ "$DAYS" =~ ^[1-9][0-9]*$ ]] || die "--days must be a positive integer, got '$DAYS'"
[[ "$CA_DAYS" =~ ^[1-9][0-9]*$ ]] || die "--ca-days must be a positive integer, got '$CA_DAYS'"
[[ "$NAMESPACE" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "--namespace '$NAMESPACE' is not a valid namespace name"
$ROTATE && $ROTATE_CA && die "--rotate and --rotate-ca are exclusive"
command -v openssl >/dev/null || die "openssl not found"
if $APPLY; then command -v kubectl >/dev/null || die "--apply needs kubectl on the PATH"; fi
[[ -f "$MANIFESTS/kustomization.yaml" ]] || die "no kustomization.yaml in --manifests $MANIFESTS"

b64() { openssl base64 -A -in "$1"; }

# A path to $2 relative to directory $1 (kustomize wants relative resource paths).
relpath() {
  if realpath --relative-to=/ / >/dev/null 2>&1; then
    realpath --relative-to="$1" "$2"
  elif command -v python3 >/dev/null; then
    python3 -c 'import os,sys; print(os.path.relpath(sys.argv[2], sys.argv[1]))' "$1" "$2"
  else
    (cd "$2" && pwd)
  fi
}

mkdir -p "$OUT"
chmod 700 "$OUT"
OUT="$(cd "$OUT" && pwd)"
MANIFESTS="$(cd "$MANIFESTS" && pwd)"
umask 077

# --- the CA ---------------------------------------------------------------------------
new_ca() {
  log "creating CA (valid ${CA_DAYS} days)"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$OUT/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$OUT/ca.key" -sha256 -days "$CA_DAYS" \
    -subj "/O=gpu-slicer/CN=gpu-slicer-ca-$(date -u +%Y%m%d%H%M%S)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" \
    -out "$OUT/ca.crt"
}

if $ROTATE; then
  [[ -f "$OUT/ca.crt" && -f "$OUT/ca.key" ]] || die "--rotate needs the existing CA in $OUT (ca.crt, ca.key)"
  log "reusing CA $OUT/ca.crt"
elif $ROTATE_CA; then
  [[ -f "$OUT/ca.crt" ]] || die "--rotate-ca needs the current CA in $OUT (ca.crt)"
  cp "$OUT/ca.crt" "$OUT/ca-previous.crt"
  new_ca
else
  [[ -e "$OUT/ca.key" ]] && die "$OUT already holds a CA: use --rotate (new serving certs, same CA), --rotate-ca, or another --out"
  rm -f "$OUT/ca-previous.crt"
  new_ca
fi

# The caBundle: the current CA, plus the previous one while a CA rotation is in progress.
cat "$OUT/ca.crt" > "$OUT/ca-bundle.crt"
if $ROTATE_CA && [[ -f "$OUT/ca-previous.crt" ]]; then
  cat "$OUT/ca-previous.crt" >> "$OUT/ca-bundle.crt"
fi

# --- serving certificates ---------------------------------------------------------------
issue() {
  local svc="$1" dir="$OUT/$1"
  local dns="DNS:${svc},DNS:${svc}.${NAMESPACE},DNS:${svc}.${NAMESPACE}.svc,DNS:${svc}.${NAMESPACE}.svc.cluster.local"
  mkdir -p "$dir"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/tls.key" 2>/dev/null
  openssl req -new -key "$dir/tls.key" -subj "/O=gpu-slicer/CN=${svc}.${NAMESPACE}.svc" -out "$dir/tls.csr"
  cat > "$dir/ext.cnf" <<EOF
[v3_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${dns}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
EOF
  openssl x509 -req -in "$dir/tls.csr" -CA "$OUT/ca.crt" -CAkey "$OUT/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -sha256 -days "$DAYS" \
    -extfile "$dir/ext.cnf" -extensions v3_server -out "$dir/tls.crt" 2>/dev/null
  rm -f "$dir/tls.csr" "$dir/ext.cnf"
  cp "$OUT/ca.crt" "$dir/ca.crt"
  openssl verify -CAfile "$OUT/ca.crt" "$dir/tls.crt" >/dev/null || die "verification of $dir/tls.crt failed"
  log "issued $dir/tls.crt for ${dns//DNS:/} (valid ${DAYS} days)"
}

for svc in "${SERVICES[@]}"; do issue "$svc"; done

# --- Secrets + overlay --------------------------------------------------------------------
mkdir -p "$OUT/overlay"
for svc in "${SERVICES[@]}"; do
  cat > "$OUT/overlay/secret-${svc}-tls.yaml" <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: ${svc}-tls
  namespace: ${NAMESPACE}
  labels:
    app.kubernetes.io/part-of: gpu-slicer
type: kubernetes.io/tls
data:
  tls.crt: $(b64 "$OUT/$svc/tls.crt")
  tls.key: $(b64 "$OUT/$svc/tls.key")
  ca.crt: $(b64 "$OUT/ca.crt")
EOF
done

CA_BUNDLE="$(b64 "$OUT/ca-bundle.crt")"
cat > "$OUT/overlay/cabundle-patch.yaml" <<EOF
# webhooks[0] is pods.gpuslicer.io; "add" sets caBundle whether or not it is present.
- op: add
  path: /webhooks/0/clientConfig/caBundle
  value: ${CA_BUNDLE}
EOF

cat > "$OUT/overlay/kustomization.yaml" <<EOF
# Written by certs/make-certs.sh: gpu-slicer + its serving Secrets + the webhook caBundle.
#   kubectl apply -k $OUT/overlay
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $(relpath "$OUT/overlay" "$MANIFESTS")
$(for svc in "${SERVICES[@]}"; do echo "  - secret-${svc}-tls.yaml"; done)
patches:
  - path: cabundle-patch.yaml
    target:
      group: admissionregistration.k8s.io
      version: v1
      kind: MutatingWebhookConfiguration
      name: ${WEBHOOK_CONFIG}
EOF
chmod 600 "$OUT"/overlay/*.yaml "$OUT"/ca.key "$OUT"/*/tls.key
log "wrote Secrets and kustomize overlay to $OUT/overlay"

# --- apply ---------------------------------------------------------------------------------
if $APPLY; then
  kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE"
  # caBundle first: during a CA rotation it must trust the new CA before any server presents
  # a certificate signed by it.
  if kubectl get mutatingwebhookconfiguration "$WEBHOOK_CONFIG" >/dev/null 2>&1; then
    kubectl patch mutatingwebhookconfiguration "$WEBHOOK_CONFIG" --type=json \
      -p "[{\"op\":\"add\",\"path\":\"/webhooks/0/clientConfig/caBundle\",\"value\":\"${CA_BUNDLE}\"}]"
  else
    log "mutatingwebhookconfiguration/$WEBHOOK_CONFIG not found: after 'kubectl apply -k manifests/' run again with --rotate --apply, or use 'kubectl apply -k $OUT/overlay'"
  fi
  for svc in "${SERVICES[@]}"; do
    kubectl -n "$NAMESPACE" create secret tls "${svc}-tls" \
      --cert="$OUT/$svc/tls.crt" --key="$OUT/$svc/tls.key" --dry-run=client -o yaml | kubectl apply -f -
  done
  log "applied. Servers reload the new certificate when kubelet refreshes the Secret volume (about a minute); no restart needed."
else
  log "next: kubectl apply -k $OUT/overlay    (or: kubectl apply -k manifests/ && $0 --out $OUT --rotate --apply)"
fi
