// One SAX handler summarizes a Workflow whether it arrives as text (parsed on the fly, never
// held as a DOM) or as an already parsed value (walked with Accept).
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <functional>
#include <optional>
#include <vector>

#include "argo/decoders.hpp"

namespace kfpevents::argo {
namespace {

// Where in the Workflow object the parser is; everything under kSkip is ignored.
enum class Where {
  kRoot,
  kMetadata,
  kLabels,
  kAnnotations,
  kSpec,
  kArguments,
  kParameters,  // the array spec.arguments.parameters
  kParameter,   // one {name, value}
  kStatus,
  kNodes,  // the map status.nodes: node id -> node
  kNode,
  kSkip,  // not needed: the handler counts its depth instead of keeping frames
};

class WorkflowSummarizer
    : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, WorkflowSummarizer> {
 public:
  bool StartObject() {
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    if (frames_.empty()) {
      frames_.push_back({Where::kRoot, {}});
      return true;
    }
    const Frame& parent = frames_.back();
    Where child = Where::kSkip;
    switch (parent.where) {
      case Where::kRoot:
        if (parent.key == "metadata") child = Where::kMetadata;
        if (parent.key == "spec") child = Where::kSpec;
        if (parent.key == "status") child = Where::kStatus;
        break;
      case Where::kMetadata:
        if (parent.key == "labels") child = Where::kLabels;
        if (parent.key == "annotations") child = Where::kAnnotations;
        break;
      case Where::kSpec:
        if (parent.key == "arguments") child = Where::kArguments;
        break;
      case Where::kParameters:
        child = Where::kParameter;
        info_.parameters.emplace_back();
        break;
      case Where::kStatus:
        if (parent.key == "nodes") child = Where::kNodes;
        break;
      case Where::kNodes:
        child = Where::kNode;
        info_.nodes.emplace_back();
        info_.nodes.back().id = parent.key;
        break;
      default:
        break;
    }
    if (child == Where::kSkip) {
      skip_depth_ = 1;  // a subtree the summary does not need: count its depth, keep no frames
      return true;
    }
    if (child == Where::kMetadata) saw_metadata_ = true;
    frames_.push_back({child, {}});
    return true;
  }

  bool EndObject(rapidjson::SizeType) {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    if (frames_.back().where == Where::kParameter && info_.parameters.back().first.empty()) {
      info_.parameters.pop_back();  // a parameter without a name says nothing
    }
    frames_.pop_back();
    return true;
  }

  bool StartArray() {
    if (frames_.empty()) return false;  // a bare array is not a Workflow
    if (skip_depth_ > 0 || frames_.back().where != Where::kArguments ||
        frames_.back().key != "parameters") {
      ++skip_depth_;
      return true;
    }
    frames_.push_back({Where::kParameters, {}});
    return true;
  }

  bool EndArray(rapidjson::SizeType) {
    if (skip_depth_ > 0) {
      --skip_depth_;
    } else {
      frames_.pop_back();
    }
    return true;
  }

  bool Key(const char* text, rapidjson::SizeType length, bool) {
    if (skip_depth_ == 0) frames_.back().key.assign(text, length);
    return true;
  }

  bool String(const char* text, rapidjson::SizeType length, bool) {
    if (frames_.empty()) return false;  // a bare string is not a Workflow
    if (skip_depth_ > 0) return true;
    Frame& frame = frames_.back();
    if (std::string* field = FieldFor(frame)) field->assign(text, length);
    return true;
  }

  // Numbers, booleans and nulls carry nothing the summary needs, but a bare one is no Workflow.
  bool Default() { return !frames_.empty(); }

  // What was read so far, valid or not (a BOOKMARK's object has a resourceVersion only).
  const WorkflowInfo& partial() const { return info_; }

  Result<WorkflowInfo> Finish() {
    if (!saw_metadata_) return Status::InvalidArgument("Workflow has no metadata");
    if (info_.name.empty()) return Status::InvalidArgument("Workflow has no metadata.name");
    return std::move(info_);
  }

 private:
  struct Frame {
    Where where;
    std::string key;  // the member being read, for objects
  };

  // The summary field that a string at `frame`'s current key goes to, or nullptr.
  std::string* FieldFor(Frame& frame) {
    const std::string& key = frame.key;
    switch (frame.where) {
      case Where::kMetadata:
        if (key == "name") return &info_.name;
        if (key == "namespace") return &info_.namespace_name;
        if (key == "uid") return &info_.uid;
        if (key == "resourceVersion") return &info_.resource_version;
        return nullptr;
      case Where::kLabels:
        return &info_.labels[key];
      case Where::kAnnotations:
        return &info_.annotations[key];
      case Where::kParameter:
        if (key == "name") return &info_.parameters.back().first;
        if (key == "value") return &info_.parameters.back().second;
        return nullptr;
      case Where::kStatus:
        if (key == "phase") return &info_.phase;
        if (key == "message") return &info_.message;
        if (key == "startedAt") return &info_.started_at;
        if (key == "finishedAt") return &info_.finished_at;
        return nullptr;
      case Where::kNode:
        return NodeField(info_.nodes.back(), key);
      default:
        return nullptr;
    }
  }

  static std::string* NodeField(NodeSummary& node, const std::string& key) {
    if (key == "id") return &node.id;
    if (key == "name") return &node.name;
    if (key == "displayName") return &node.display_name;
    if (key == "type") return &node.type;
    if (key == "templateName") return &node.template_name;
    if (key == "phase") return &node.phase;
    if (key == "message") return &node.message;
    if (key == "startedAt") return &node.started_at;
    if (key == "finishedAt") return &node.finished_at;
    return nullptr;
  }

  std::vector<Frame> frames_;  // the path to where the parser is, down to the first skipped level
  int skip_depth_ = 0;         // > 0: this deep inside a skipped subtree
  WorkflowInfo info_;
  bool saw_metadata_ = false;
};

// Reads a watch line ({"type": ..., "object": Workflow}) or a list ({"metadata": ...,
// "items": [Workflow, ...]}) in one pass, handing each Workflow's subtree to a fresh
// WorkflowSummarizer: the envelope costs nothing and no DOM is built.
class EnvelopeReader : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, EnvelopeReader> {
 public:
  // Called with each object under "object" or "items" once it is complete.
  using OnObject = std::function<void(WorkflowSummarizer&)>;
  explicit EnvelopeReader(OnObject on_object) : on_object_(std::move(on_object)) {}

  std::string type;              // the watch line's "type"
  std::string resource_version;  // a list's metadata.resourceVersion
  std::string continue_token;    // a list's metadata.continue
  int status_code = 0;           // an ERROR line's Status
  std::string status_reason;
  std::string status_message;

  bool StartObject() { return Open(true); }
  bool StartArray() { return Open(false); }
  bool EndObject(rapidjson::SizeType members) {
    if (inner_) {
      inner_->EndObject(members);
      return Close();
    }
    --depth_;
    return true;
  }
  bool EndArray(rapidjson::SizeType elements) {
    if (inner_) {
      inner_->EndArray(elements);
      return Close();
    }
    --depth_;
    in_items_ = in_items_ && depth_ >= 2;
    return true;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    if (inner_) return inner_->Key(text, length, copy);
    (depth_ == 1 ? top_key_ : inner_key_).assign(text, length);
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    if (inner_) return inner_->String(text, length, copy);
    const std::string value(text, length);
    if (depth_ == 1 && top_key_ == "type") type = value;
    if (depth_ == 2 && top_key_ == "metadata") {
      if (inner_key_ == "resourceVersion") resource_version = value;
      if (inner_key_ == "continue") continue_token = value;
    }
    if (depth_ == 2 && top_key_ == "object") {  // only an ERROR's Status object gets here
      if (inner_key_ == "reason") status_reason = value;
      if (inner_key_ == "message") status_message = value;
    }
    return true;
  }
  bool Uint(unsigned value) {  // RapidJSON reads a non-negative integer as unsigned
    if (inner_) return inner_->Default();
    if (depth_ == 2 && top_key_ == "object" && inner_key_ == "code") {
      status_code = static_cast<int>(value);
    }
    return true;
  }
  bool Default() { return inner_ ? inner_->Default() : true; }

 private:
  bool Open(bool object) {
    if (inner_) {
      ++inner_depth_;
      return object ? inner_->StartObject() : inner_->StartArray();
    }
    ++depth_;
    if (depth_ == 2 && top_key_ == "items" && !object) {
      in_items_ = true;
    } else if (object && ((depth_ == 2 && top_key_ == "object" && type != "ERROR") ||
                          (depth_ == 3 && in_items_))) {
      inner_.emplace();
      inner_depth_ = 1;
      return inner_->StartObject();
    }
    return true;
  }
  bool Close() {
    if (--inner_depth_ > 0) return true;
    on_object_(*inner_);
    inner_.reset();
    --depth_;
    return true;
  }

  OnObject on_object_;
  int depth_ = 0;
  std::string top_key_;    // the member being read at depth 1
  std::string inner_key_;  // ... and at depth 2
  bool in_items_ = false;
  std::optional<WorkflowSummarizer> inner_;  // the Workflow being read
  int inner_depth_ = 0;
};

Status ParseEnvelope(std::string_view json, EnvelopeReader& reader, const char* what) {
  rapidjson::MemoryStream stream(json.data(), json.size());
  rapidjson::Reader parser;
  const rapidjson::ParseResult parsed = parser.Parse(stream, reader);
  if (parsed.IsError()) {
    return Status::InvalidArgument(std::string(what) + ": invalid JSON at offset " +
                                   std::to_string(parsed.Offset()) + ": " +
                                   rapidjson::GetParseError_En(parsed.Code()));
  }
  return Status::Ok();
}

}  // namespace

Result<WorkflowWatchLine> SummarizeWorkflowWatchLine(std::string_view line) {
  WorkflowWatchLine out;
  EnvelopeReader reader([&](WorkflowSummarizer& summarizer) {
    out.resource_version = summarizer.partial().resource_version;
    out.uid = summarizer.partial().uid;
    out.workflow = summarizer.Finish();
  });
  if (Status s = ParseEnvelope(line, reader, "watch line"); !s.ok()) return s;
  if (reader.type.empty()) return Status::InvalidArgument("watch line has no type");
  out.type = reader.type;
  out.status_code = reader.status_code;
  out.status_reason = reader.status_reason;
  out.status_message = reader.status_message;
  return out;
}

Result<WorkflowListPage> SummarizeWorkflowList(std::string_view body) {
  WorkflowListPage page;
  EnvelopeReader reader([&](WorkflowSummarizer& summarizer) {
    Result<WorkflowInfo> workflow = summarizer.Finish();
    if (workflow) {
      page.workflows.push_back(std::move(*workflow));
    } else {
      page.bad_items.push_back(workflow.error().message());
    }
  });
  if (Status s = ParseEnvelope(body, reader, "workflow list"); !s.ok()) return s;
  page.resource_version = reader.resource_version;
  page.continue_token = reader.continue_token;
  return page;
}

Result<WorkflowInfo> DecodeWorkflow(const rapidjson::Value& object) {
  if (!object.IsObject()) return Status::InvalidArgument("a Workflow must be a JSON object");
  WorkflowSummarizer summarizer;
  object.Accept(summarizer);
  return summarizer.Finish();
}

Result<WorkflowInfo> SummarizeWorkflow(std::string_view json) {
  WorkflowSummarizer summarizer;
  rapidjson::MemoryStream stream(json.data(), json.size());
  rapidjson::Reader reader;
  const rapidjson::ParseResult parsed = reader.Parse(stream, summarizer);
  if (parsed.IsError()) {
    if (parsed.Code() == rapidjson::kParseErrorTermination) {
      return Status::InvalidArgument("a Workflow must be a JSON object");
    }
    return Status::InvalidArgument("invalid JSON at offset " + std::to_string(parsed.Offset()) +
                                   ": " + rapidjson::GetParseError_En(parsed.Code()));
  }
  return summarizer.Finish();
}

}  // namespace kfpevents::argo
