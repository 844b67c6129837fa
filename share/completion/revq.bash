# bash completion for revq(1) and `git revq`: commands, their options,
# refs, remotes, templates and the commits in the review queue.  The
# words come from the program itself (`revq __complete`, see revq(1)),
# so this file never goes stale.  Installed as completions/revq (and
# git-revq); `git revq` completes once this file is loaded.

# The revq words of one kind, the first field of each line.
_revq_words()
{
	"${_revq_prog[@]}" __complete "$@" 2>/dev/null | cut -f1
}

_revq_refs()
{
	git "${_revq_git[@]}" for-each-ref --format='%(refname:short)' refs/heads refs/remotes refs/tags 2>/dev/null
}

# Completes COMP_WORDS[COMP_CWORD]: revq's words start after word $1,
# and $2 is the program to ask (revq, ./revq, ...).
_revq_complete()
{
	local start=$1 cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local i cmd= sub= words
	local -a _revq_prog _revq_git

	_revq_prog=("$2")
	_revq_git=()
	for ((i = start + 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-C|--git-dir)
			if [[ ${COMP_WORDS[i]} == -C ]]; then
				_revq_git+=(-C "${COMP_WORDS[i+1]}")
			else
				_revq_git+=(--git-dir "${COMP_WORDS[i+1]}")
			fi
			_revq_prog+=("${COMP_WORDS[i]}" "${COMP_WORDS[i+1]}")
			((i++)) ;;
		-*) ;;
		*)
			if [[ -z $cmd ]]; then cmd=${COMP_WORDS[i]}; elif [[ -z $sub ]]; then sub=${COMP_WORDS[i]}; fi ;;
		esac
	done
	COMPREPLY=()
	if [[ -z $cmd ]]; then
		case $prev in
		-C|--git-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
		esac
		if [[ $cur == -* ]]; then
			words="-C --git-dir --quiet --version --help"
		else
			words="$(_revq_words commands) help"
		fi
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	case $prev in
	--target|--notes-ref)
		COMPREPLY=($(compgen -W "$(_revq_refs)" -- "$cur")); return ;;
	--template)
		COMPREPLY=($(compgen -W "$(_revq_words templates)" -- "$cur")); return ;;
	--format)
		COMPREPLY=($(compgen -W "text json github junit" -- "$cur")); return ;;
	--limit|--jobs|-m|-n)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_revq_words options "$cmd") --help" -- "$cur"))
		return
	fi
	case $cmd in
	show|approve|reject)
		COMPREPLY=($(compgen -W "$(_revq_words queue)" -- "$cur")) ;;
	list|verify|attest|console)
		COMPREPLY=($(compgen -W "$(_revq_refs)" -- "$cur")) ;;
	policy)
		if [[ -z $sub ]]; then words=check; else words=$(_revq_refs); fi
		COMPREPLY=($(compgen -W "$words" -- "$cur")) ;;
	sync)
		COMPREPLY=($(compgen -W "$(git "${_revq_git[@]}" remote 2>/dev/null)" -- "$cur")) ;;
	cache)
		[[ -z $sub ]] && COMPREPLY=($(compgen -W "rebuild clear path" -- "$cur")) ;;
	hook)
		[[ -z $sub ]] && COMPREPLY=($(compgen -W "pre-receive" -- "$cur")) ;;
	demo)
		COMPREPLY=($(compgen -d -- "$cur")) ;;
	esac
}

_revq()
{
	local prog=${COMP_WORDS[0]}
	[[ $prog == git-revq ]] && prog=revq
	_revq_complete 0 "$prog"
}

# git's completion calls _git_revq for `git revq ...`.
_git_revq()
{
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == revq ]]; then
			_revq_complete "$i" revq
			return
		fi
	done
}

complete -F _revq revq git-revq
