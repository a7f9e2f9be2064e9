#!/usr/bin/env bash
# Publish the .ipynb copies of the chapters (make notebooks) to a branch of a remote:
#
#   .github/scripts/publish-notebooks.sh NOTEBOOKS_DIR [REMOTE] [BRANCH]
#
# Run from inside the book's git checkout. REMOTE is a remote name or URL (default
# origin), BRANCH the branch the Colab buttons point to (default notebooks). The branch
# holds only the notebooks, laid out like the book (chapters/<page>.ipynb); each
# publication is one commit on top of the branch's history, naming the source commit.
# Nothing is pushed when the notebooks did not change.
set -euo pipefail

src=${1:?usage: publish-notebooks.sh NOTEBOOKS_DIR [REMOTE] [BRANCH]}
remote=${2:-origin}
branch=${3:-notebooks}
[ -d "$src" ] || { echo "publish-notebooks: error: no folder $src (run make notebooks)" >&2; exit 2; }
src=$(cd "$src" && pwd)
if ! find "$src" -name '*.ipynb' -print -quit | grep -q .; then
  echo "publish-notebooks: error: $src holds no .ipynb files" >&2
  exit 2
fi
source_commit=$(git rev-parse HEAD)
work=$(mktemp -d)
cleanup() {
  git worktree remove --force "$work" 2>/dev/null || rm -rf "$work"
  git worktree prune
  git update-ref -d "refs/lossy-publish/$branch" 2>/dev/null || true
  git branch -D --quiet "lossy-publish-$branch" 2>/dev/null || true
}
trap cleanup EXIT

if git fetch --quiet "$remote" "+refs/heads/$branch:refs/lossy-publish/$branch" 2>/dev/null; then
  git worktree add --quiet --detach "$work" "refs/lossy-publish/$branch"
else
  git worktree add --quiet --detach "$work" HEAD
  git -C "$work" checkout --quiet --orphan "lossy-publish-$branch"
fi
git -C "$work" rm -r --quiet --force --ignore-unmatch . >/dev/null
git -C "$work" clean -fdxq
cp -R "$src"/. "$work"/
git -C "$work" add -A
if git -C "$work" rev-parse --verify -q HEAD >/dev/null && git -C "$work" diff --cached --quiet; then
  echo "publish-notebooks: $branch is up to date"
  exit 0
fi
git -C "$work" \
  -c user.name="${GIT_AUTHOR_NAME:-lossy-publisher}" \
  -c user.email="${GIT_AUTHOR_EMAIL:-lossy-publisher@users.noreply.github.com}" \
  commit --quiet -m "Notebooks from $source_commit"
git -C "$work" push --quiet "$remote" "HEAD:refs/heads/$branch"
echo "publish-notebooks: pushed $(find "$src" -name '*.ipynb' | wc -l) notebook(s) to $remote $branch"
