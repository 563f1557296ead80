// The templates behind the built-in `slack` and `teams` formats: a readable message per
// notification (per finished run with `level: run`) with the outcome, the failed tasks and their
// reasons, and a link to the run.
#pragma once

#include <memory>
#include <string>

#include "kfpevents/formatters.hpp"

namespace kfpevents::format {

// MakeTemplateFormatter, and with `slack_escaping` values also escaped for Slack's mrkdwn
// (&, <, > as entities), so that no value can mention @channel or make a link.
Result<std::unique_ptr<MessageFormatter>> MakeTemplateFormatter(const std::string& template_text,
                                                                const std::string& content_type,
                                                                const TemplateOptions& options,
                                                                bool slack_escaping);

// A Slack incoming-webhook message: a text fallback, and Block Kit in an attachment coloured by
// the outcome.
extern const char* const kSlackTemplate;

// A Microsoft Teams Workflows ("Post to a channel when a webhook request is received") message:
// an Adaptive Card 1.4.
extern const char* const kTeamsTemplate;

// A PagerDuty Events API v2 event (POST https://events.pagerduty.com/v2/enqueue): `trigger` for
// a run that did not succeed, `resolve` for one that did. The dedup_key names the pipeline (in
// its namespace), so a resolve closes what a failure of the same pipeline opened, and a
// redelivery or a second failure never pages twice. Needs `fields.routing_key` (fieldFiles).
extern const char* const kPagerDutyTemplate;

}  // namespace kfpevents::format
