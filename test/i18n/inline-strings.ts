/**
 * Finds words written straight into the code where Discord users would read them, rather than
 * taken from the catalogues: a string with two or more words anywhere in the user-facing folders,
 * and any text at all in a component's label, placeholder, content, title or description.
 * Log lines, and errors that only the log sees, are the operator's and stay in English.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** The UserError family: their words reach users, so a literal in them is found like any other. */
const USER_ERRORS = new Set([
  'UserError',
  'NotLinkedError',
  'LinkLostError',
  'SelfFollowError',
  'LinkingOffError',
  'InvalidUserRefError',
]);
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'child']);
const SHOWN_PROPERTIES = new Set(['label', 'placeholder', 'content', 'title', 'description']);

export interface InlineString {
  file: string;
  line: number;
  text: string;
}

/** Prose once code spans, tags, styles, URLs, placeholders and interpolations are taken out. */
export function isProse(text: string): boolean {
  const words = text
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ');
  // Two words apart by spaces (a comma or a full stop between them at most); capitals alone are a constant.
  return /\p{L}{2,}[,.!?’']?\s+\p{L}+/u.test(words) && words !== words.toUpperCase();
}

export function findInlineStrings(file: string): InlineString[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: InlineString[] = [];
  const visit = (node: ts.Node): void => {
    if (exempt(node)) return;
    const text = literalText(node);
    if (text !== undefined && (isProse(text) || (shownProperty(node) && /\p{L}/u.test(text)))) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push({ file, line: line + 1, text: text.slice(0, 80) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' {{x}} ');
  return undefined;
}

/** Log calls, imports, type positions, and errors only the log sees. */
function exempt(node: ts.Node): boolean {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isTypeNode(node)) return true;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression))
    return LOG_METHODS.has(node.expression.name.text) && /log/i.test(node.expression.expression.getText());
  // log[away ? 'warn' : 'error'](…)
  if (ts.isCallExpression(node) && ts.isElementAccessExpression(node.expression))
    return /log/i.test(node.expression.expression.getText());
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
    const name = node.expression.text;
    return name.endsWith('Error') && !USER_ERRORS.has(name);
  }
  return false;
}

function shownProperty(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    parent !== undefined &&
    ts.isPropertyAssignment(parent) &&
    parent.initializer === node &&
    SHOWN_PROPERTIES.has(parent.name.getText().replace(/['"]/g, ''))
  );
}
