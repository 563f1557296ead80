// Checks each golden message (golden/*.json) against the receiving service's own definition:
//   teams-*:     the Teams Workflows envelope, and the card through Microsoft's Adaptive Cards SDK
//                (the parse and validation errors Teams' renderer would see), at most 28 KB;
//   slack-*:     typed against @slack/types (Slack's Block Kit TypeScript definitions, known
//                blocks only, no unknown keys), within Block Kit's documented text limits;
//   pagerduty-*: PagerDuty Events API v2's documented required fields, values and limits.
// Usage: node check_messages.js GOLDEN_DIR. Prints one line per problem; exits 1 if any.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const AdaptiveCards = require("adaptivecards/dist/adaptivecards.js");
const ts = require("typescript");

const dir = process.argv[2];
const problems = [];
const problem = (file, what) => problems.push(`${file}: ${what}`);

function checkTeams(file, message) {
  if (message.type !== "message") problem(file, 'type must be "message"');
  const attachments = message.attachments || [];
  if (attachments.length !== 1) problem(file, "a Workflows webhook takes one attachment");
  const attachment = attachments[0] || {};
  if (attachment.contentType !== "application/vnd.microsoft.card.adaptive") {
    problem(file, "the attachment must be an Adaptive Card");
  }
  const size = Buffer.byteLength(JSON.stringify(message));
  if (size > 28 * 1024) problem(file, `${size} bytes, over Teams' 28 KB`);
  const card = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext();
  card.parse(attachment.content, context);
  for (let i = 0; i < context.eventCount; ++i) {
    problem(file, `Adaptive Cards: ${context.getEventAt(i).message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    problem(file, `Adaptive Cards: ${event.message}`);
  }
  const version = AdaptiveCards.Version.parse(attachment.content.version, context);
  if (!version || version.major !== 1 || version.minor > 5) {
    problem(file, "Teams renders Adaptive Cards up to version 1.5");
  }
}

// Block Kit's limits that no type states (docs.slack.dev, "Blocks" and "Block elements").
function checkSlackLimits(file, message) {
  for (const attachment of message.attachments || []) {
    const blocks = attachment.blocks || [];
    if (blocks.length > 50) problem(file, `${blocks.length} blocks, over 50`);
    for (const block of blocks) {
      if (block.type === "section" && [...block.text.text].length > 3000) {
        problem(file, "a section's text is over 3,000 characters");
      }
      for (const element of block.elements || []) {
        if (element.type === "button" && [...element.text.text].length > 75) {
          problem(file, "a button's text is over 75 characters");
        }
        if (element.url && element.url.length > 3000) problem(file, "a URL over 3,000 characters");
      }
    }
  }
}

// Each message becomes a TypeScript constant of Slack's own types; the compiler's errors are
// the problems (an unknown block type, a misspelt key, a missing field).
function checkSlackTypes(files) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "slack-types-"));
  const sources = files.map((file) => {
    const source = path.join(work, file.replace(/\.json$/, ".ts"));
    fs.writeFileSync(
      source,
      'import type { KnownBlock, MessageAttachment } from "@slack/types";\n' +
        "type Attachment = Omit<MessageAttachment, \"blocks\"> & { blocks: KnownBlock[] };\n" +
        "export const message: { text: string; attachments: Attachment[] } = " +
        fs.readFileSync(path.join(dir, file), "utf8") + ";\n");
    return source;
  });
  const program = ts.createProgram(sources, {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2020,
    moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.CommonJS,
    typeRoots: [], baseUrl: __dirname, paths: { "*": [path.join(__dirname, "node_modules", "*")] },
  });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const where = diagnostic.file ? path.basename(diagnostic.file.fileName) : "";
    problem(where, ts.flattenDiagnosticMessageText(diagnostic.messageText, " "));
  }
  fs.rmSync(work, { recursive: true, force: true });
}

function checkPagerDuty(file, event) {
  if (typeof event.routing_key !== "string" || event.routing_key === "") {
    problem(file, "routing_key is required");
  }
  if (!["trigger", "acknowledge", "resolve"].includes(event.event_action)) {
    problem(file, "event_action must be trigger, acknowledge or resolve");
  }
  if (typeof event.dedup_key !== "string" || event.dedup_key.length > 255) {
    problem(file, "dedup_key must be a string of at most 255 characters");
  }
  const payload = event.payload || {};
  if (event.event_action === "trigger") {
    if (!payload.summary || [...payload.summary].length > 1024) {
      problem(file, "payload.summary must be 1 to 1,024 characters");
    }
    if (!payload.source) problem(file, "payload.source is required");
    if (!["critical", "error", "warning", "info"].includes(payload.severity)) {
      problem(file, "payload.severity must be critical, error, warning or info");
    }
  }
  if (Buffer.byteLength(JSON.stringify(event)) > 512 * 1024) problem(file, "over 512 KB");
}

const files = fs.readdirSync(dir).filter((file) => file.endsWith(".json")).sort();
const slack = [];
const counts = { teams: 0, slack: 0, pagerduty: 0 };
for (const file of files) {
  const message = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  const kind = file.split("-")[0];
  if (kind === "teams") checkTeams(file, message);
  if (kind === "slack") {
    checkSlackLimits(file, message);
    slack.push(file);
  }
  if (kind === "pagerduty") checkPagerDuty(file, message);
  if (kind in counts) counts[kind] += 1;
}
if (slack.length > 0) checkSlackTypes(slack);
for (const line of problems) console.log(line);
console.log(`checked ${counts.teams} Teams, ${counts.slack} Slack and ${counts.pagerduty} ` +
            `PagerDuty messages: ${problems.length} problem(s)`);
process.exit(problems.length === 0 && files.length > 0 ? 0 : 1);
