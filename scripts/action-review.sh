#!/usr/bin/env bash
# The logic of the Unscripted GitHub Action (action.yml at the repository root).
#
# 1. Finds the base of the change (input `base`, else the pull request's base branch, else the
#    commit before a push) and fetches it when the checkout is shallow and lacks it.
# 2. Lints the lines changed since the base, printing GitHub workflow-command annotations
#    (`--format github`), so findings show inline on the pull request's diff.
# 3. Writes the review summary (Markdown) to the job summary ($GITHUB_STEP_SUMMARY) and to a file
#    whose path goes to the step outputs, for a PR-comment step to post.
#
# Everything comes in through the environment (GitHub passes inputs that way); it runs the same on a
# laptop, which is how the tests exercise it:
#   UNSCRIPTED_CLI       command that runs the CLI (default: the action's own bin/unscripted.js)
#   INPUT_BASE           base ref or commit (default: origin/$GITHUB_BASE_REF, else $GITHUB_EVENT_BEFORE)
#   INPUT_PLAYBOOK       playbook folder (optional)
#   INPUT_PATHS          paths to lint, space-separated (optional; default: the workspace)
#   INPUT_FAIL_ON        error (default) | warning | never: when the step fails on changed-line findings
#   INPUT_MAX_WARNINGS   passed to --max-warnings when fail-on is warning (default 0)
#   INPUT_NOW            clock for schedule rules (ISO 8601; optional)
#   INPUT_SUMMARY        true (default) | false: write the review summary
#   INPUT_SARIF_FILE     also write SARIF 2.1.0 of the whole workspace here, for code scanning (optional)
#   INPUT_WORKING_DIRECTORY  folder of the workspace (default .)
# Outputs (to $GITHUB_OUTPUT when set): base, lint-exit-code, summary-file, sarif-file.
set -uo pipefail

log() { printf '%s\n' "$*" >&2; }
fail() { printf '::error title=Unscripted::%s\n' "$*"; log "unscripted action: $*"; exit 2; }
set_output() {
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}

action_root="${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
workdir="${INPUT_WORKING_DIRECTORY:-.}"
cd "$workdir" || fail "working-directory '$workdir' does not exist"

# --- the CLI ---------------------------------------------------------------------------------
if [[ -n "${UNSCRIPTED_CLI:-}" ]]; then
  read -r -a cli <<<"$UNSCRIPTED_CLI"
else
  if [[ ! -f "$action_root/out/src/cli/main.js" ]]; then
    log "unscripted action: building the CLI in $action_root"
    (cd "$action_root" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build) >&2 ||
      fail "could not build the Unscripted CLI in $action_root"
  fi
  cli=(node "$action_root/bin/unscripted.js")
fi

# --- the base ----------------------------------------------------------------------------------
base="${INPUT_BASE:-}"
if [[ -z "$base" ]]; then
  if [[ -n "${GITHUB_BASE_REF:-}" ]]; then
    base="origin/${GITHUB_BASE_REF}"
  elif [[ -n "${GITHUB_EVENT_BEFORE:-}" && ! "${GITHUB_EVENT_BEFORE}" =~ ^0+$ ]]; then
    base="$GITHUB_EVENT_BEFORE"
  else
    fail "no base to compare with: set the 'base' input (e.g. origin/main), or run on pull_request or push"
  fi
fi
case "$base" in -*) fail "invalid base '$base'" ;; esac

have_commit() { git rev-parse --verify --quiet "$1^{commit}" >/dev/null 2>&1; }

if ! have_commit "$base"; then
  # A shallow checkout (actions/checkout's default) lacks the base: fetch just it.
  remote="origin"
  name="$base"
  if [[ "$base" == */* ]] && git remote | grep -qx "${base%%/*}"; then
    remote="${base%%/*}"
    name="${base#*/}"
    log "unscripted action: fetching $name from $remote"
    git fetch --no-tags --depth=1 "$remote" "+refs/heads/$name:refs/remotes/$remote/$name" >&2 ||
      git fetch --no-tags --depth=1 "$remote" "$name" >&2 || true
  else
    log "unscripted action: fetching $base from $remote"
    git fetch --no-tags --depth=1 "$remote" "$base" >&2 || true
  fi
fi
have_commit "$base" || fail "the base '$base' is not in this checkout and could not be fetched; use actions/checkout with fetch-depth: 0"
set_output base "$base"

# --- lint the changed lines, as annotations ---------------------------------------------------
common=()
[[ -n "${INPUT_PLAYBOOK:-}" ]] && common+=(--playbook "$INPUT_PLAYBOOK")
[[ -n "${INPUT_NOW:-}" ]] && common+=(--now "$INPUT_NOW")

lint_args=(lint --changed-since "$base" --format github)
case "${INPUT_FAIL_ON:-error}" in
  error) ;;
  warning) lint_args+=(--max-warnings "${INPUT_MAX_WARNINGS:-0}") ;;
  never) ;;
  *) fail "fail-on must be error, warning or never (got '${INPUT_FAIL_ON}')" ;;
esac
paths=()
[[ -n "${INPUT_PATHS:-}" ]] && read -r -a paths <<<"$INPUT_PATHS"

"${cli[@]}" "${lint_args[@]}" "${common[@]}" "${paths[@]}"
lint_code=$?
set_output lint-exit-code "$lint_code"
if [[ $lint_code -ge 2 ]]; then
  fail "unscripted lint stopped with exit code $lint_code (see the message above)"
fi

# --- SARIF for code scanning (the whole workspace: code scanning does its own diffing) ----------
if [[ -n "${INPUT_SARIF_FILE:-}" ]]; then
  "${cli[@]}" lint --format sarif "${common[@]}" "${paths[@]}" >"$INPUT_SARIF_FILE"
  sarif_code=$?
  [[ $sarif_code -ge 2 ]] && fail "unscripted lint --format sarif stopped with exit code $sarif_code"
  set_output sarif-file "$INPUT_SARIF_FILE"
fi

# --- the review summary -------------------------------------------------------------------------
if [[ "${INPUT_SUMMARY:-true}" == "true" ]]; then
  summary_file="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/unscripted-review.md"
  if "${cli[@]}" review --base "$base" --format markdown "${common[@]}" >"$summary_file"; then
    if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
      cat "$summary_file" >>"$GITHUB_STEP_SUMMARY"
    else
      cat "$summary_file"
    fi
    set_output summary-file "$summary_file"
  else
    fail "unscripted review failed (see the message above)"
  fi
fi

if [[ "${INPUT_FAIL_ON:-error}" == "never" ]]; then
  exit 0
fi
exit "$lint_code"
