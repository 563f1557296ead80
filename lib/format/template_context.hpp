// What a message template sees: every field of a notification, the run's summary (outcome,
// duration, failed tasks with their reasons, parameters, a link to the run) and the static fields
// of the subscriber's configuration. docs/TEMPLATES.md lists them.
#pragma once

#include <kainjow/mustache.hpp>

#include <set>
#include <string>

#include "kfpevents/formatters.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents::format {

kainjow::mustache::data TemplateContext(const Notification& notification,
                                        const TemplateOptions& options);

// The names a template may use: top-level fields, and the fields of list items
// (failed_tasks, parameters, fields).
const std::set<std::string>& TemplateNames();

// Whether `text` parses as Mustache; kInvalidArgument says why and where ("line 2, column 9:
// Unclosed section \"failed_tasks\"").
Status ParseTemplate(const std::string& text);

// Whether a template's tags name only what the context has (and `options.fields`), with their
// line and column; with `json`, raw tags ({{{x}}}, {{&x}}) are refused too.
Status CheckTemplate(const std::string& text, bool json, const TemplateOptions& options);

}  // namespace kfpevents::format
