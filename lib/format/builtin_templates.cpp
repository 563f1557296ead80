#include "format/builtin_templates.hpp"

namespace kfpevents::format {

// Conditional entries come before the fixed last one of each array, each with its comma, so
// that the JSON is valid whichever of them are there.
const char* const kSlackTemplate = R"({
  "text": "{{#succeeded}}:white_check_mark:{{/succeeded}}{{#failed}}:x:{{/failed}}{{^succeeded}}{{^failed}}:information_source:{{/failed}}{{/succeeded}} {{#has_pipeline}}{{pipeline}}: {{/has_pipeline}}{{title}} {{#is_node}}{{node}} {{node_phase}}{{/is_node}}{{^is_node}}{{outcome}}{{/is_node}}",
  "attachments": [
    {
      "color": "{{#succeeded}}#2eb886{{/succeeded}}{{#failed}}#a30200{{/failed}}{{^succeeded}}{{^failed}}#439fe0{{/failed}}{{/succeeded}}",
      "blocks": [
        {
          "type": "section",
          "text": {
            "type": "mrkdwn",
            "text": "*{{title}}* {{#is_node}}step *{{node}}* {{node_phase}}{{/is_node}}{{^is_node}}{{#timed_out}}timed out{{/timed_out}}{{^timed_out}}{{outcome}}{{/timed_out}}{{/is_node}}{{#has_duration}} after {{duration}}{{/has_duration}}\n{{#has_pipeline}}Pipeline *{{pipeline}}* · {{/has_pipeline}}Namespace `{{namespace}}`"
          }
        },
{{#has_failed_tasks}}
        {
          "type": "section",
          "text": {
            "type": "mrkdwn",
            "text": "*Failed:*{{#failed_tasks}}\n• *{{name}}*: {{message}}{{/failed_tasks}}{{#has_more_failed_tasks}}\n…and {{more_failed_tasks}} more{{/has_more_failed_tasks}}"
          }
        },
{{/has_failed_tasks}}
{{#has_run_url}}
        {
          "type": "actions",
          "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Open the run"}, "url": "{{run_url}}"}
          ]
        },
{{/has_run_url}}
        {
          "type": "context",
          "elements": [
            {"type": "mrkdwn", "text": "{{reason}} · run {{run_id}} · {{event_time}}"}
          ]
        }
      ]
    }
  ]
}
)";

const char* const kTeamsTemplate = R"({
  "type": "message",
  "attachments": [
    {
      "contentType": "application/vnd.microsoft.card.adaptive",
      "contentUrl": null,
      "content": {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "msteams": {"width": "Full"},
        "body": [
          {
            "type": "TextBlock",
            "size": "Medium",
            "weight": "Bolder",
            "wrap": true,
            "color": "{{#succeeded}}Good{{/succeeded}}{{#failed}}Attention{{/failed}}{{^succeeded}}{{^failed}}Default{{/failed}}{{/succeeded}}",
            "text": "{{title}} {{#is_node}}step {{node}} {{node_phase}}{{/is_node}}{{^is_node}}{{#timed_out}}timed out{{/timed_out}}{{^timed_out}}{{outcome}}{{/timed_out}}{{/is_node}}"
          },
{{#has_failed_tasks}}
          {
            "type": "Container",
            "style": "attention",
            "items": [
              {"type": "TextBlock", "weight": "Bolder", "text": "Failed", "wrap": true}
{{#failed_tasks}}
              ,{"type": "TextBlock", "wrap": true, "text": "{{name}}: {{message}}"}
{{/failed_tasks}}
{{#has_more_failed_tasks}}
              ,{"type": "TextBlock", "wrap": true, "isSubtle": true, "text": "…and {{more_failed_tasks}} more"}
{{/has_more_failed_tasks}}
            ]
          },
{{/has_failed_tasks}}
          {
            "type": "FactSet",
            "facts": [
{{#has_pipeline}}
              {"title": "Pipeline", "value": "{{pipeline}}"},
{{/has_pipeline}}
{{#has_duration}}
              {"title": "Duration", "value": "{{duration}}"},
{{/has_duration}}
{{#parameters}}
              {"title": "{{name}}", "value": "{{value}}"},
{{/parameters}}
{{#has_more_parameters}}
              {"title": "…", "value": "{{more_parameters}} more parameters"},
{{/has_more_parameters}}
              {"title": "Namespace", "value": "{{namespace}}"}
            ]
          }
        ],
        "actions": [
{{#has_run_url}}
          {"type": "Action.OpenUrl", "title": "Open the run", "url": "{{run_url}}"}
{{/has_run_url}}
        ]
      }
    }
  ]
}
)";

const char* const kPagerDutyTemplate = R"({
  "routing_key": "{{fields.routing_key}}",
  "event_action": "{{#succeeded}}resolve{{/succeeded}}{{^succeeded}}trigger{{/succeeded}}",
  "dedup_key": "kfp-eventd/{{namespace}}/{{#has_pipeline}}{{pipeline}}{{/has_pipeline}}{{^has_pipeline}}{{workflow}}{{/has_pipeline}}",
  "payload": {
    "summary": "{{title}} {{#timed_out}}timed out{{/timed_out}}{{^timed_out}}{{outcome}}{{/timed_out}}{{#has_pipeline}} (pipeline {{pipeline}}){{/has_pipeline}}{{#has_failed_tasks}}: {{failed_task.name}}: {{failed_task.message}}{{/has_failed_tasks}}",
    "source": "{{namespace}}/{{workflow}}",
    "severity": "{{#timed_out}}warning{{/timed_out}}{{^timed_out}}error{{/timed_out}}",
    "timestamp": "{{event_time}}",
    "component": "{{pipeline}}",
    "group": "{{namespace}}",
    "custom_details": {
      "run_id": "{{run_id}}",
      "run_name": "{{run_name}}",
      "outcome": "{{outcome}}",
      "duration": "{{duration}}",
      "failed_task_count": "{{failed_task_count}}",
      "failed_tasks": [{{#failed_tasks}}{"task": "{{name}}", "reason": "{{message}}"}, {{/failed_tasks}}null]
    }
  },
  "client": "kfp-eventd"{{#has_run_url}},
  "client_url": "{{run_url}}",
  "links": [{"href": "{{run_url}}", "text": "Open the run in Kubeflow Pipelines"}]{{/has_run_url}}
}
)";

}  // namespace kfpevents::format
