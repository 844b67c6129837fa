# Labelling rules for the detection corpus (bench/detect-corpus/README).
# Input: git log --format='@@@COMMIT@@@ %H%nAUTHOR: %an <%ae>%nCOMMITTER: %cn <%ce>%n%B'
# Output: commit<TAB>label<TAB>tool<TAB>evidence-kind<TAB>evidence
# Written from reading the messages, independently of revq's detector.
function tool_of(s,   l) {
	l = tolower(s)
	if (l ~ /\(aider\)|noreply@aider\.chat|^aider[ (<]/) return "aider"
	if (l ~ /claude\[bot\]|anthropic-claude/) return "Claude (GitHub app)"
	if (l ~ /^claude([ <]|$)|^claude [a-z]+ [0-9]|noreply@anthropic\.com|no-reply@anthropic\.com|claude@anthropic\.com/) return "Claude"
	if (l ~ /copilot autofix|github-advanced-security\[bot\]/) return "Copilot Autofix"
	if (l ~ /copilot-swe-agent/) return "Copilot coding agent"
	if (l ~ /^copilot[ <]|[0-9]+\+copilot@users\.noreply\.github\.com|copilot-pull-request-reviewer/) return "Copilot"
	if (l ~ /cursoragent@cursor\.com|^cursor( agent)? </) return "Cursor"
	if (l ~ /openhands|opendevin/) return "OpenHands"
	if (l ~ /crush@charm\.land|crush\.charm\.land|^(charm )?crush[ <:]|via crush|^crush$/) return "Crush"
	if (l ~ /devin-ai-integration|^devin ai /) return "Devin"
	if (l ~ /gemini-code-assist/) return "Gemini Code Assist"
	if (l ~ /google-labs-jules/) return "Jules"
	if (l ~ /chatgpt-codex-connector|^(openai )?codex[ <]|noreply@openai\.com|codex@openai\.com/) return "OpenAI Codex"
	if (l ~ /codeflash-ai\[bot\]/) return "Codeflash"
	if (l ~ /hyperlint-ai\[bot\]/) return "Hyperlint"
	if (l ~ /coderabbitai\[bot\]/) return "CodeRabbit"
	if (l ~ /sourcery-ai\[bot\]/) return "Sourcery"
	if (l ~ /ellipsis-dev\[bot\]/) return "Ellipsis"
	if (l ~ /greptile/) return "Greptile"
	if (l ~ /cursor\[bot\]/) return "Cursor Bugbot"
	if (l ~ /opencode/) return "opencode"
	if (l ~ /noreply@termai\.io|^termai[ <]/) return "termai (Crush predecessor)"
	return ""
}
function model_named(s,   l) {	# Assisted-by values that name a model rather than a person
	l = tolower(s)
	return l ~ /claude|gpt|gemini|glm|kimi|qwen|deepseek|grok|llama|mistral|codex|copilot|crush|opus|sonnet|o[0-9]-|minimax/
}
function flush(   i, t, k, v, n, lastpara, kind, ev, tool, lab) {
	if (id == "") return
	tool = ""; kind = ""; ev = ""
	# last paragraph start
	lastpara = 1
	for (i = 1; i <= nl; i++) if (L[i] ~ /^[ \t]*$/ && i < nl) lastpara = i + 1
	while (nl > 0 && L[nl] ~ /^[ \t]*$/) nl--
	for (i = 1; i <= nl && tool == ""; i++) {
		if (match(L[i], /^[ \t]*[A-Za-z][A-Za-z-]*[ \t]*:[ \t]*/)) {
			k = tolower(substr(L[i], 1, RLENGTH)); gsub(/[ \t:]/, "", k)
			v = substr(L[i], RLENGTH + 1)
			if (k == "claude-session") { tool = "Claude"; kind = (i >= lastpara ? "trailer" : "trailer-not-last-paragraph"); ev = L[i]; continue }
			if (k ~ /^(co-authored-by|coauthored-by|co-author|assisted-by|generated-by|ai-assisted-by|written-by|helped-by|made-with|with)$/) {
				t = tool_of(v)
				if (t == "" && k == "assisted-by" && model_named(v)) t = "model: " v
				if (t != "") { tool = t; kind = (i >= lastpara ? "trailer" : "trailer-not-last-paragraph"); ev = L[i] }
			}
		}
	}
	if (tool == "") { t = tool_of(author); if (t != "") { tool = t; kind = "author"; ev = author } }
	if (tool == "") { t = tool_of(committer); if (t != "") { tool = t; kind = "committer"; ev = committer } }
	for (i = 1; i <= nl && tool == ""; i++) {
		v = tolower(L[i])
		if (v ~ /generated (with|by|using) \[?(claude|crush|copilot|cursor|codex|gemini|openhands|aider|opencode|devin|jules)/ ||
		    v ~ /this is claude code on behalf of/) {
			tool = tool_of(v ~ /claude/ ? "claude" : v ~ /crush/ ? "crush" : v ~ /copilot/ ? "copilot " : v ~ /openhands/ ? "openhands" : v)
			if (tool == "") tool = "other"
			kind = "message-line"; ev = L[i]
		}
	}
	for (i = 1; i <= nl && tool == ""; i++)	# hand-confirmed prose disclosures, see README
		if (id in PROSE) { tool = PROSE[id]; kind = "prose"; ev = "hand-read" }
	lab = tool != "" ? 1 : 0
	if (id in OVERRIDE) { lab = OVERRIDE[id]; kind = kind "+hand" }
	if (id in EXCLUDE) { printf "%s\t?\t-\texcluded\t%s\n", id, EXCLUDE[id]; id = ""; return }
	if (!lab) {
		if (tolower(author committer) ~ /dependabot|pre-commit-ci|github-actions|renovate|allcontributors/) { kind = "automation-bot"; ev = author }
		else if (tolower(author committer) ~ /@anthropic\.com|@openai\.com|@cursor\.com|@all-hands\.dev|@charm\.land/) { kind = "vendor-staff"; ev = author }
		else { kind = "none"; ev = "" }
		tool = "-"
	}
	gsub(/\t/, " ", ev)
	printf "%s\t%d\t%s\t%s\t%s\n", id, lab, tool, kind, ev
	id = ""
}
BEGIN {
	if (hand != "") while ((getline line < hand) > 0) {
		if (line ~ /^#/ || line == "") continue
		split(line, f, "\t")
		if (f[2] == "prose") PROSE[f[1]] = f[3]
		else if (f[2] == "?") EXCLUDE[f[1]] = f[3]
		else if (f[2] == "0" || f[2] == "1") OVERRIDE[f[1]] = f[2] + 0
	}
}
/^@@@COMMIT@@@ / { flush(); id = $2; nl = 0; author = committer = ""; next }
/^AUTHOR: / && author == "" && nl == 0 { author = substr($0, 9); next }
/^COMMITTER: / && committer == "" && nl == 0 { committer = substr($0, 12); next }
{ L[++nl] = $0 }
END { flush() }
