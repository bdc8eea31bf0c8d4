// Every user-facing string in src/features goes through vscode.l10n.t(), and every %key% of the manifest has
// an English text. Read from the source with the TypeScript compiler API rather than regexes, so that
// formatting, line breaks and nesting cannot hide a string, and so that a message kept in a `const` first is
// followed to its initializer.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..', '..');
const FEATURES = join(ROOT, 'src', 'features');

interface Violation {
  file: string;
  line: number;
  where: string;
  text: string;
}

/**
 * Whether a literal's text is prose a translator must see. Codicons (`$(key)`) and substitutions are not
 * words; a lone key-format example (the `sk-ant-api03-…` input placeholder) is the same in every language.
 */
export function isProse(text: string): boolean {
  const words = text.replace(/\$\([a-z0-9~-]+\)/gi, ' ').replace(/\$\{[^}]*\}/g, ' ').trim();
  if (!/\p{L}/u.test(words)) return false;
  if (/^sk-ant-\S*$/.test(words)) return false;
  return true;
}

class L10nChecker {
  readonly violations: Violation[] = [];

  private readonly checker: ts.TypeChecker;

  constructor(program: ts.Program) {
    this.checker = program.getTypeChecker();
  }

  check(sourceFile: ts.SourceFile): void {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) this.checkCall(node);
      if (ts.isNewExpression(node)) this.checkNew(node);
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) this.checkAssignment(node);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }

  private checkCall(call: ts.CallExpression): void {
    const name = calleeName(call.expression);
    const args = call.arguments;
    switch (name) {
      case 'showInformationMessage':
      case 'showWarningMessage':
      case 'showErrorMessage':
        // The message, then either options ({ detail }) or the buttons: strings or MessageItems ({ title }).
        args.forEach((arg, index) => {
          if (ts.isObjectLiteralExpression(arg)) this.checkProperties(arg, ['detail', 'title'], name);
          else this.checkExpression(arg, index === 0 ? `${name} message` : `${name} button`);
        });
        break;
      case 'showQuickPick':
        if (args[0]) this.checkQuickPickItems(args[0]);
        if (args[1] && ts.isObjectLiteralExpression(args[1])) this.checkProperties(args[1], ['title', 'placeHolder'], name);
        break;
      case 'showInputBox':
        if (args[0] && ts.isObjectLiteralExpression(args[0])) this.checkProperties(args[0], ['title', 'prompt', 'placeHolder'], name);
        break;
      case 'showWorkspaceFolderPick':
      case 'withProgress':
        if (args[0] && ts.isObjectLiteralExpression(args[0])) this.checkProperties(args[0], ['title', 'placeHolder'], name);
        break;
      case 'createOutputChannel':
        if (args[0]) this.checkExpression(args[0], 'createOutputChannel name');
        break;
      case 'createWebviewPanel':
        if (args[1]) this.checkExpression(args[1], 'createWebviewPanel title');
        break;
      case 'formatMessage':
        // The engine's messages (src/core/messages.ts) are English templates: the editor must hand them to a
        // translator (vscode.l10n.t), or the Problems panel and the fix summaries stay English.
        if (args.length < 2) this.report(call, 'formatMessage without a translator', call.getText());
        break;
      case 't':
        // vscode.l10n.t(`…${x}…`) cannot be looked up in a bundle: the key must be a fixed string with {0}.
        if (isL10nCall(call) && args[0] && ts.isTemplateExpression(args[0])) {
          this.report(args[0], 'vscode.l10n.t key built from a template', args[0].getText());
        }
        break;
    }
  }

  private checkNew(node: ts.NewExpression): void {
    if (calleeName(node.expression) === 'CodeAction' && node.arguments?.[0]) this.checkExpression(node.arguments[0], 'CodeAction title');
    if (calleeName(node.expression) === 'Diagnostic' && node.arguments?.[1]) this.checkExpression(node.arguments[1], 'Diagnostic message');
  }

  /** `item.text = …` on a status bar item, `panel.title = …` on a webview panel. */
  private checkAssignment(node: ts.BinaryExpression): void {
    if (!ts.isPropertyAccessExpression(node.left)) return;
    const property = node.left.name.text;
    const owner = this.checker.getTypeAtLocation(node.left.expression).getSymbol()?.getName();
    const checked: Record<string, readonly string[]> = { StatusBarItem: ['text', 'tooltip', 'name'], WebviewPanel: ['title'] };
    if (owner && checked[owner]?.includes(property)) this.checkExpression(node.right, `${owner}.${property}`);
  }

  private checkQuickPickItems(items: ts.Expression): void {
    const resolved = this.resolve(items);
    if (!resolved || !ts.isArrayLiteralExpression(resolved)) return;
    for (const element of resolved.elements) {
      if (ts.isObjectLiteralExpression(element)) this.checkProperties(element, ['label', 'description', 'detail'], 'QuickPickItem');
      else if (!ts.isSpreadElement(element)) this.checkExpression(element, 'QuickPickItem');
    }
  }

  private checkProperties(object: ts.ObjectLiteralExpression, names: readonly string[], where: string): void {
    for (const property of object.properties) {
      if (!property.name || !names.includes(property.name.getText())) continue;
      if (ts.isPropertyAssignment(property)) this.checkExpression(property.initializer, `${where} ${property.name.getText()}`);
      else if (ts.isShorthandPropertyAssignment(property)) this.checkExpression(property.name, `${where} ${property.name.getText()}`);
    }
  }

  /** Reports every literal in `expression` that reaches the user without passing through vscode.l10n.t. */
  private checkExpression(expression: ts.Expression, where: string, depth = 0): void {
    if (depth > 5) return;
    if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) {
      if (isProse(expression.text)) this.report(expression, where, expression.text);
    } else if (ts.isTemplateExpression(expression)) {
      const text = expression.head.text + expression.templateSpans.map((span) => '${}' + span.literal.text).join('');
      if (isProse(text)) this.report(expression, where, text);
    } else if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isNonNullExpression(expression)) {
      this.checkExpression(expression.expression, where, depth + 1);
    } else if (ts.isConditionalExpression(expression)) {
      this.checkExpression(expression.whenTrue, where, depth + 1);
      this.checkExpression(expression.whenFalse, where, depth + 1);
    } else if (ts.isBinaryExpression(expression) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(expression.operatorToken.kind)) {
      this.checkExpression(expression.left, where, depth + 1);
      this.checkExpression(expression.right, where, depth + 1);
    } else if (ts.isIdentifier(expression)) {
      const initializer = this.resolve(expression);
      if (initializer && initializer !== expression) this.checkExpression(initializer, where, depth + 1);
    }
    // Calls (vscode.l10n.t, or a helper that returns one) and other expressions are not literals here.
  }

  /** A `const` identifier's initializer; anything else as it is. */
  private resolve(expression: ts.Expression): ts.Expression | undefined {
    if (!ts.isIdentifier(expression)) return expression;
    const declaration = this.checker.getSymbolAtLocation(expression)?.valueDeclaration;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    const list = declaration.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
    return declaration.initializer;
  }

  private report(node: ts.Node, where: string, text: string): void {
    const sourceFile = node.getSourceFile();
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    this.violations.push({ file: relative(ROOT, sourceFile.fileName), line, where, text });
  }
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  if (ts.isIdentifier(expression)) return expression.text;
  return undefined;
}

function isL10nCall(call: ts.CallExpression): boolean {
  return ts.isPropertyAccessExpression(call.expression) && call.expression.expression.getText().endsWith('l10n');
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

function violationsIn(files: readonly string[]): Violation[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
  });
  const checker = new L10nChecker(program);
  for (const file of files) checker.check(program.getSourceFile(file)!);
  return checker.violations;
}

function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.file}:${v.line} ${v.where}: ${JSON.stringify(v.text)}`).join('\n');
}

describe('localisation', function () {
  // Building a program over src/features and vscode.d.ts takes a few seconds on a shared machine.
  this.timeout(60_000);

  it('leaves no hard-coded user-facing string in src/features', () => {
    const violations = violationsIn(typeScriptFiles(FEATURES));
    assert.equal(violations.length, 0, `wrap these in vscode.l10n.t():\n${describeViolations(violations)}`);
  });

  it('catches literals in every checked position, engine messages without a translator, and accepts l10n.t, codicons and key-format examples', () => {
    const sample = join(ROOT, 'out', 'test', 'unit', 'l10nSample.ts');
    const source = [
      "import * as vscode from 'vscode';",
      "import { formatMessage } from '../../../src/core/messages';",
      "const done = 'All done';",
      'export function sample(item: vscode.StatusBarItem, panel: vscode.WebviewPanel, n: number): void {',
      "  void vscode.window.showInformationMessage('Saved');",
      "  void vscode.window.showWarningMessage(vscode.l10n.t('Sure?'), { modal: true, detail: 'It cannot be undone' }, 'Yes');",
      '  void vscode.window.showErrorMessage(done);',
      "  void vscode.window.showQuickPick([{ label: 'First' }, vscode.l10n.t('Second')], { placeHolder: `Pick one of ${n}` });",
      "  void vscode.window.showInputBox({ title: vscode.l10n.t('Name'), prompt: 'Type it', placeHolder: 'sk-ant-api03-…' });",
      "  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Working' }, async () => undefined);",
      "  item.text = '$(key) ' + n;",
      "  item.tooltip = n === 0 ? vscode.l10n.t('None') : 'Some';",
      "  panel.title = 'Report';",
      "  void new vscode.CodeAction('Fix it', vscode.CodeActionKind.QuickFix);",
      "  vscode.window.createOutputChannel('Log');",
      "  vscode.window.createWebviewPanel('id', 'Title', vscode.ViewColumn.One, {});",
      '  vscode.l10n.t(`Count ${n}`);',
      "  void new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), 'Bad key');",
      "  formatMessage({ id: 'unignored-env-file', args: {} });",
      "  formatMessage({ id: 'unignored-env-file', args: {} }, (template, args) => vscode.l10n.t(template, args));",
      '}',
    ].join('\n');
    mkdirSync(join(sample, '..'), { recursive: true });
    writeFileSync(sample, source);
    try {
      const found = violationsIn([sample]).map((v) => v.text);
      assert.deepEqual(found, [
        'Saved', 'It cannot be undone', 'Yes', 'All done', 'First', 'Pick one of ${}', 'Type it', 'Working', 'Some', 'Report', 'Fix it', 'Log', 'Title', '`Count ${n}`',
        'Bad key', "formatMessage({ id: 'unignored-env-file', args: {} })",
      ]);
    } finally {
      rmSync(sample, { force: true });
    }
  });

  it('has an English text in package.nls.json for every %key% in package.json', () => {
    const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');
    const texts = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, unknown>;
    const keys = [...manifest.matchAll(/"%([^"%]+)%"/g)].map((match) => match[1]);
    assert.ok(keys.length > 0);
    const missing = keys.filter((key) => typeof texts[key] !== 'string' || texts[key] === '');
    assert.deepEqual(missing, []);
  });
});
