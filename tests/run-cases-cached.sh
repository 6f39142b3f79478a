#!/bin/sh
# The end-to-end cases again with the matcher's in-memory receivable index
# forced on: both lookup paths must give byte-identical results.
CONCILIA_RECONCILE_CACHE=always
export CONCILIA_RECONCILE_CACHE
exec sh "$(dirname "$0")/run-cases.sh" "$@"
