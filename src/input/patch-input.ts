/**
 * Patch input → series: detect the kind of text (detect.ts), split mails
 * (mbox.ts), decode them (mail.ts), cut message from patch (message.ts) and
 * parse the diffs (diff.ts).
 */
import { anonymousCommit, emptySeriesInfo, type Commit, type Series, type SeriesInfo } from '../series/model.js';
import { detectInputKind } from './detect.js';
import { findFileHeader, parseDiffLines } from './diff.js';
import { parseGitLog } from './git-log.js';
import { decodeMail, parsePerson } from './mail.js';
import { splitMbox } from './mbox.js';
import {
  basedOnValues,
  buildMessage,
  parseTrailers,
  splitMailBody,
  splitSubject,
  stripSpace,
} from './message.js';
import { inputError, normalizeNewlines, numbered, quoteLine, sliceLines, splitLines, type NumberedLines } from './text.js';

/**
 * Turn the text of one patch input (a plain `git diff`/`diff -u`, `git show`
 * output, one or more `git format-patch` files concatenated, or an mbox of many
 * messages) into a series. `source` is the file name ("-" for stdin), used in
 * error messages and Commit.source. Cover letters (0/N) become SeriesInfo, not
 * commits. Throws InputError (one line, names source and line) on bad input.
 */
export function parsePatchInput(text: string, source: string): Series {
  const normalized = normalizeNewlines(text);
  if (normalized.trim() === '') throw inputError(source, undefined, 'empty input');
  const all = numbered(splitLines(normalized));
  const detected = detectInputKind(all.lines);
  if (detected === null) throw inputError(source, undefined, 'not a patch (no diff, mail or commit found)');
  const src = sliceLines(all, detected.start);
  switch (detected.kind) {
    case 'mbox':
      return fromMails(
        splitMbox(src).map((m) => ({ sha: m.sha, lines: m.lines, line: m.fromLineNo })),
        source,
      );
    case 'mail':
      return fromMails([{ sha: null, lines: src, line: src.nos[0] as number }], source);
    case 'git-log': {
      const commits = parseGitLog(src, source);
      const info = emptySeriesInfo();
      for (const c of commits) addBasedOn(info, c.message.split('\n'));
      return { commits, info };
    }
    case 'diff':
      return fromPlainDiff(src, source);
  }
}

function addBasedOn(info: SeriesInfo, lines: Iterable<string>): void {
  for (const v of basedOnValues(lines)) if (!info.basedOn.includes(v)) info.basedOn.push(v);
}

function fromPlainDiff(src: NumberedLines, source: string): Series {
  const files = parseDiffLines(src, source);
  if (files.length === 0) throw inputError(source, undefined, 'not a patch (no diff, mail or commit found)');
  return { commits: [anonymousCommit(files, { kind: 'patch', file: source })], info: emptySeriesInfo() };
}

interface RawMail {
  sha: string | null;
  lines: NumberedLines;
  /** input line where the message starts (its From line, or first header) */
  line: number;
}

/** The body of a cover letter: everything before its signature, cleaned up. */
function coverBody(body: readonly string[]): string {
  let end = body.length;
  for (let i = body.length - 1; i >= 0; i--) {
    if (body[i] === '-- ') {
      end = i;
      break;
    }
  }
  return stripSpace(body.slice(0, end)).join('\n');
}

function fromMails(mails: RawMail[], source: string): Series {
  const info = emptySeriesInfo();
  const commits: Commit[] = [];
  let skippedReply = false;
  for (const raw of mails) {
    const mail = decodeMail(raw.lines);
    const headerSubject = splitSubject(mail.subject ?? '');
    const parts = splitMailBody(mail.body);
    const inBodySubject = parts.inBody.subject !== undefined ? splitSubject(parts.inBody.subject) : null;
    const subject = inBodySubject?.subject ?? headerSubject.subject;
    const patchNumber = headerSubject.patchNumber ?? inBodySubject?.patchNumber ?? null;
    const diffStart = findFileHeader(mail.body.lines, parts.patchStart);

    if (headerSubject.reply && diffStart < 0) {
      // a reply in a thread mbox (review comments, a quoted patch)
      skippedReply = true;
      continue;
    }
    const isCover =
      !headerSubject.reply &&
      (patchNumber?.index === 0 || (diffStart < 0 && patchNumber !== null && info.coverSubject === null));
    if (isCover) {
      if (info.coverSubject === null) {
        info.coverSubject = headerSubject.subject;
        info.coverBody = coverBody(mail.body.lines);
      }
      addBasedOn(info, mail.body.lines);
      continue;
    }
    const label = quoteLine(subject || '(no subject)');
    if (diffStart < 0) {
      const what = patchNumber ? `patch ${patchNumber.index}/${patchNumber.total}` : 'mail';
      throw inputError(source, raw.line, `not a patch: ${what} ${label} has no diff`);
    }
    const files = parseDiffLines(sliceLines(mail.body, diffStart), source);
    if (files.length === 0) throw inputError(source, raw.line, `not a patch: mail ${label} has no file diff`);
    const message = buildMessage(subject, parts.body);
    addBasedOn(info, parts.body);
    commits.push({
      sha: raw.sha,
      author: parts.inBody.from !== undefined ? parsePerson(parts.inBody.from) : mail.from,
      date: parts.inBody.date ?? mail.date,
      subject,
      patchNumber,
      message,
      trailers: parseTrailers(message),
      files,
      source: { kind: 'mail', file: source },
    });
  }
  if (commits.length === 0 && info.coverSubject === null) {
    const why = skippedReply ? 'only replies without a diff' : 'no diff, mail or commit found';
    throw inputError(source, undefined, `not a patch (${why})`);
  }
  return { commits, info };
}
