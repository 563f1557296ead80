#include "support/fake_kfp_api.hpp"

#include <httplib.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <optional>
#include <regex>

#include "core/rfc3339.hpp"
#include "json/go_json.hpp"
#include "support/httplib_record.hpp"
#include "support/httplib_serve.hpp"

namespace kfpevents::testing {

struct FakeKfpApi::State {
  struct Item {
    std::string id;
    std::string name;
    std::string parent;  // a version's pipeline, a run's experiment
    std::string ns;      // the profile namespace of an experiment or a pipeline; "" shared
  };
  std::mutex mutex;
  std::vector<RecordedRequest> requests;
  std::vector<std::string> uploads;
  std::string token;
  int fail_status = 0;
  int fail_count = 0;
  std::vector<std::string> run_progress = {"Running", "Succeeded"};
  std::vector<Item> pipelines, versions, experiments, runs;
  std::map<std::string, std::size_t> run_polls;
  std::optional<std::vector<std::pair<std::string, std::string>>> declared;  // name -> type
  int lose_answers = 0;
  int drop_creates = 0;
  std::map<std::string, std::string> created_at;  // run id -> RFC 3339
  std::map<std::string, std::string> descriptions;  // run id -> as created
  bool speaks_v2 = false;                         // KFP 2.x: /apis/v2beta1 answers
  bool display_name_only = false;                 // KFP 2.0 to 2.5
  int next_id = 1;

  std::string NewId(const std::string& prefix) { return prefix + std::to_string(next_id++); }

  // {"runs":[...]}: the runs of `experiment` named `name` ("" for any), each as `render` writes
  // it in the API version's words.
  std::string RunList(const std::string& experiment, const std::string& name,
                      const std::function<std::string(const Item&)>& render) const {
    std::string body = "{\"runs\":[";
    bool first = true;
    for (const Item& run : runs) {
      if ((!experiment.empty() && run.parent != experiment) ||
          (!name.empty() && run.name != name)) {
        continue;
      }
      body += (first ? "" : ",") + render(run);
      first = false;
    }
    return body + "]}";
  }
};

namespace {

// A JSON string, escaped as the Go server escapes it.
std::string Quoted(const std::string& text) {
  std::string out;
  json::AppendGoString(out, text);
  return out;
}

// Why KFP 2.x refuses a run's runtime_config.parameters, as its API server checks them against
// the pipeline's declared inputs; "" when it accepts them.
std::string RefusedParameters(const std::string& body,
                              const std::vector<std::pair<std::string, std::string>>& declared) {
  rapidjson::Document run;
  run.Parse(body.c_str(), body.size());
  if (run.HasParseError() || !run.IsObject()) return "the run is not JSON";
  const auto config = run.FindMember("runtime_config");
  if (config == run.MemberEnd() || !config->value.IsObject()) return "";
  const auto parameters = config->value.FindMember("parameters");
  if (parameters == config->value.MemberEnd() || !parameters->value.IsObject()) return "";
  for (const auto& member : parameters->value.GetObject()) {
    const std::string name = member.name.GetString();
    const auto found = std::find_if(declared.begin(), declared.end(),
                                    [&](const auto& entry) { return entry.first == name; });
    if (found == declared.end()) return "parameter " + name + " is not declared";
    const std::string& type = found->second;
    const rapidjson::Value& value = member.value;
    const bool ok = type == "STRING"           ? value.IsString()
                    : type == "NUMBER_INTEGER" ? value.IsInt64()
                    : type == "NUMBER_DOUBLE"  ? value.IsNumber()
                    : type == "BOOLEAN"        ? value.IsBool()
                    : type == "LIST"           ? value.IsArray()
                    : type == "STRUCT"         ? value.IsObject()
                                               : true;
    if (!ok) return "parameter " + name + " is not of its declared type " + type;
  }
  return "";
}

// The name a v1beta1 filter asks for ("" when there is no filter).
std::string FilterName(const httplib::Request& request) {
  if (!request.has_param("filter")) return {};
  std::smatch match;
  const std::string filter = request.get_param_value("filter");
  static const std::regex kName(R"re("string_value"\s*:\s*"([^"]*)")re");
  return std::regex_search(filter, match, kName) ? match[1].str() : std::string();
}

// The first string member `key` of a JSON body, found textually ("" when absent).
std::string BodyField(const std::string& body, const std::string& key) {
  std::smatch match;
  const std::regex pattern("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"");
  return std::regex_search(body, match, pattern) ? match[1].str() : std::string();
}

// The namespace a request lists in: v2beta1's `namespace`, v1beta1's NAMESPACE reference key.
std::string ListNamespace(const httplib::Request& request) {
  if (request.has_param("namespace")) return request.get_param_value("namespace");
  if (request.get_param_value("resource_reference_key.type") == "NAMESPACE") {
    return request.get_param_value("resource_reference_key.id");
  }
  return {};
}

// The field a filter compares ("name", "display_name"; "" when there is no filter).
std::string FilterKey(const httplib::Request& request) {
  if (!request.has_param("filter")) return {};
  std::smatch match;
  const std::string filter = request.get_param_value("filter");
  static const std::regex kKey(R"re("key"\s*:\s*"([^"]*)")re");
  return std::regex_search(filter, match, kKey) ? match[1].str() : std::string();
}

void Error(httplib::Response& response, int status, int code, const std::string& message) {
  response.status = status;
  response.set_content("{\"error\":" + Quoted(message) + ",\"code\":" + std::to_string(code) +
                           ",\"message\":" + Quoted(message) + ",\"details\":[]}",
                       "application/json");
}

std::string ItemJson(const std::string& id, const std::string& name) {
  return "{\"id\":" + Quoted(id) + ",\"name\":" + Quoted(name) + "}";
}

}  // namespace

FakeKfpApi::FakeKfpApi()
    : state_(std::make_unique<State>()), server_(std::make_unique<httplib::Server>()) {
  State& state = *state_;
  // Every request: record, check the token, play a scripted failure; true when it may go on.
  const Admit admit = [&state](const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(state.mutex);
    state.requests.push_back(Record(request));
    if (!state.token.empty() &&
        request.get_header_value("Authorization") != "Bearer " + state.token) {
      Error(response, 401, 16, "Unauthorized: a valid bearer token is required");
      return false;
    }
    if (state.fail_count > 0) {
      --state.fail_count;
      Error(response, state.fail_status, 14, "scripted failure");
      return false;
    }
    if (request.method == "POST" && state.drop_creates > 0) {
      --state.drop_creates;
      Error(response, 503, 14, "upstream connect error or disconnect/reset before headers");
      return false;
    }
    if (!state.speaks_v2 && request.path.rfind("/apis/v2beta1/", 0) == 0) {
      Error(response, 404, 5, "Not Found");
      return false;
    }
    return true;
  };
  // A lost answer: the handler acted, the client hears a 503.
  server_->set_post_routing_handler(
      [&state](const httplib::Request& request, httplib::Response& response) {
        std::lock_guard lock(state.mutex);
        if (request.method != "POST" || response.status != 200 || state.lose_answers == 0) return;
        --state.lose_answers;
        Error(response, 503, 14, "upstream connect error or disconnect/reset before headers");
      });
  for (const char* api : {"v1beta1", "v2beta1"}) {
    server_->Get(std::string("/apis/") + api + "/healthz", [admit](const httplib::Request& request,
                                                                   httplib::Response& response) {
      if (!admit(request, response)) return;
      response.set_content(R"({"commit_sha":"fake","tag_name":"fake"})", "application/json");
    });
  }

  server_->Post("/apis/v1beta1/pipelines/upload",
                [&state, admit](const httplib::Request& request, httplib::Response& response) {
                  if (!admit(request, response)) return;
                  std::lock_guard lock(state.mutex);
                  if (!request.has_file("uploadfile"))
                    return Error(response, 400, 3, "no uploadfile");
                  const std::string name = request.get_param_value("name");
                  for (const auto& pipeline : state.pipelines) {
                    if (pipeline.name == name) {
                      return Error(response, 409, 6,
                                   "Failed to create a pipeline: The name " + name +
                                       " already exist. Please specify a new name.");
                    }
                  }
                  state.uploads.push_back(request.get_file_value("uploadfile").content);
                  const std::string id = state.NewId("p-");
                  state.pipelines.push_back({id, name, ""});
                  state.versions.push_back({id, name, id});
                  response.set_content("{\"id\":" + Quoted(id) + ",\"name\":" + Quoted(name) +
                                           ",\"default_version\":" + ItemJson(id, name) + "}",
                                       "application/json");
                });

  server_->Post("/apis/v1beta1/pipelines/upload_version",
                [&state, admit](const httplib::Request& request, httplib::Response& response) {
                  if (!admit(request, response)) return;
                  std::lock_guard lock(state.mutex);
                  const std::string pipeline = request.get_param_value("pipelineid");
                  bool known = false;
                  for (const auto& item : state.pipelines) known |= item.id == pipeline;
                  if (!known) return Error(response, 404, 5, "pipeline " + pipeline + " not found");
                  state.uploads.push_back(request.get_file_value("uploadfile").content);
                  const std::string id = state.NewId("v-");
                  const std::string name = request.get_param_value("name");
                  state.versions.push_back({id, name, pipeline});
                  response.set_content(
                      "{\"id\":" + Quoted(id) + ",\"name\":" + Quoted(name) +
                          ",\"resource_references\":[{\"key\":{\"type\":\"PIPELINE\",\"id\":" +
                          Quoted(pipeline) + "},\"relationship\":\"OWNER\"}]}",
                      "application/json");
                });

  // Lists: pipelines, versions of a pipeline, experiments; each honours the name filter.
  const auto list = [&state, admit](const char* key, std::vector<State::Item> State::*items,
                                    bool of_pipeline) {
    return [&state, admit, key, items, of_pipeline](const httplib::Request& request,
                                                    httplib::Response& response) {
      if (!admit(request, response)) return;
      std::lock_guard lock(state.mutex);
      const std::string name = FilterName(request);
      const std::string parent = request.get_param_value("resource_key.id");
      const std::string ns = ListNamespace(request);
      std::string body = std::string("{\"") + key + "\":[";
      bool first = true;
      for (const auto& item : state.*items) {
        if ((!name.empty() && item.name != name) || item.ns != ns) continue;
        if (of_pipeline && item.parent != parent) continue;
        body += (first ? "" : ",") + ItemJson(item.id, item.name);
        first = false;
      }
      response.set_content(body + "],\"total_size\":0}", "application/json");
    };
  };
  server_->Get("/apis/v1beta1/pipelines", list("pipelines", &State::pipelines, false));
  server_->Get("/apis/v1beta1/pipeline_versions", list("versions", &State::versions, true));
  server_->Get("/apis/v1beta1/experiments", list("experiments", &State::experiments, false));

  server_->Get(R"(/apis/v1beta1/pipelines/([^/]+))",
               [&state, admit](const httplib::Request& request, httplib::Response& response) {
                 if (!admit(request, response)) return;
                 std::lock_guard lock(state.mutex);
                 for (const auto& pipeline : state.pipelines) {
                   if (pipeline.id != request.matches[1].str()) continue;
                   return response.set_content(
                       "{\"id\":" + Quoted(pipeline.id) + ",\"name\":" + Quoted(pipeline.name) +
                           ",\"default_version\":" + ItemJson(pipeline.id, pipeline.name) + "}",
                       "application/json");
                 }
                 Error(response, 404, 5, "pipeline not found");
               });

  server_->Post("/apis/v1beta1/experiments", [&state, admit](const httplib::Request& request,
                                                             httplib::Response& response) {
    if (!admit(request, response)) return;
    std::lock_guard lock(state.mutex);
    std::smatch match;
    static const std::regex kName(R"re("name"\s*:\s*"([^"]*)")re");
    const std::string name = std::regex_search(request.body, match, kName) ? match[1].str() : "";
    static const std::regex kNamespace(
        R"re("type"\s*:\s*"NAMESPACE"\s*,\s*"id"\s*:\s*"([^"]*)")re");
    const std::string ns =
        std::regex_search(request.body, match, kNamespace) ? match[1].str() : "";
    const std::string id = state.NewId("e-");
    state.experiments.push_back({id, name, "", ns});
    response.set_content(ItemJson(id, name), "application/json");
  });

  server_->Get(R"(/apis/v1beta1/pipeline_versions/([^/]+))",
               [&state, admit](const httplib::Request& request, httplib::Response& response) {
                 if (!admit(request, response)) return;
                 std::lock_guard lock(state.mutex);
                 for (const auto& version : state.versions) {
                   if (version.id != request.matches[1].str()) continue;
                   return response.set_content(
                       "{\"id\":" + Quoted(version.id) + ",\"name\":" + Quoted(version.name) +
                           ",\"resource_references\":[{\"key\":{\"type\":\"PIPELINE\",\"id\":" +
                           Quoted(version.parent) + "},\"relationship\":\"OWNER\"}]}",
                       "application/json");
                 }
                 Error(response, 404, 5, "pipeline version not found");
               });

  server_->Post("/apis/v1beta1/runs",
                [&state, admit](const httplib::Request& request, httplib::Response& response) {
                  if (!admit(request, response)) return;
                  std::lock_guard lock(state.mutex);
                  const std::string id = state.NewId("r-");
                  std::smatch experiment;
                  static const std::regex kExperiment(
                      R"re("type"\s*:\s*"EXPERIMENT"\s*,\s*"id"\s*:\s*"([^"]*)")re");
                  std::regex_search(request.body, experiment, kExperiment);
                  state.runs.push_back({id, BodyField(request.body, "name"), experiment[1].str()});
                  state.descriptions[id] = BodyField(request.body, "description");
                  state.created_at[id] = FormatRfc3339(std::chrono::system_clock::now(), 0);
                  response.set_content("{\"run\":{\"id\":" + Quoted(id) + ",\"status\":\"\"}}",
                                       "application/json");
                });
  server_->Get("/apis/v1beta1/runs", [&state, admit](const httplib::Request& request,
                                                     httplib::Response& response) {
    if (!admit(request, response)) return;
    std::lock_guard lock(state.mutex);
    response.set_content(
        state.RunList(request.get_param_value("resource_reference_key.id"), FilterName(request),
                      [&state](const State::Item& run) {
                        return "{\"id\":" + Quoted(run.id) + ",\"name\":" + Quoted(run.name) +
                               ",\"description\":" + Quoted(state.descriptions[run.id]) +
                               ",\"created_at\":" + Quoted(state.created_at.at(run.id)) +
                               ",\"status\":\"\"}";
                      }),
        "application/json");
  });

  server_->Get(R"(/apis/v1beta1/runs/([^/]+))", [&state, admit](const httplib::Request& request,
                                                                httplib::Response& response) {
    if (!admit(request, response)) return;
    std::lock_guard lock(state.mutex);
    const std::string id = request.matches[1].str();
    bool known = false;
    for (const auto& run : state.runs) known |= run.id == id;
    if (!known) return Error(response, 404, 5, "run " + id + " not found");
    std::size_t& polls = state.run_polls[id];
    const std::string& status =
        state.run_progress[std::min(polls++, state.run_progress.size() - 1)];
    response.set_content("{\"run\":{\"id\":" + Quoted(id) + ",\"status\":" + Quoted(status) + "}}",
                         "application/json");
  });

  AddV2Routes(admit);

  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
  thread_ = ServeInBackground(*server_);
}

// v2beta1: the same state under *_id fields, display names, run states and the v2 paths.
void FakeKfpApi::AddV2Routes(const Admit& admit) {
  State& state = *state_;
  const auto item = [&state](const char* id_key, const std::string& id, const std::string& name,
                             const std::string& extra = "") {
    return std::string("{\"") + id_key + "\":" + Quoted(id) +
           (state.display_name_only ? "" : ",\"name\":" + Quoted(name)) +
           ",\"display_name\":" + Quoted(name) + extra + "}";
  };
  // A filter on name finds nothing where objects have no name.
  const auto unmatched = [&state](const httplib::Request& request) {
    return state.display_name_only && FilterKey(request) == "name";
  };
  server_->Post(
      "/apis/v2beta1/pipelines/upload",
      [&state, admit, item](const httplib::Request& request, httplib::Response& response) {
        if (!admit(request, response)) return;
        std::lock_guard lock(state.mutex);
        const std::string name = request.get_param_value("name");
        for (const auto& pipeline : state.pipelines) {
          if (pipeline.name == name) return Error(response, 409, 6, "already exists");
        }
        state.uploads.push_back(request.get_file_value("uploadfile").content);
        const std::string id = state.NewId("p-");
        state.pipelines.push_back({id, name, "", request.get_param_value("namespace")});
        state.versions.push_back({state.NewId("v-"), name, id});
        response.set_content(item("pipeline_id", id, name), "application/json");
      });
  server_->Post(
      "/apis/v2beta1/pipelines/upload_version",
      [&state, admit, item](const httplib::Request& request, httplib::Response& response) {
        if (!admit(request, response)) return;
        std::lock_guard lock(state.mutex);
        const std::string pipeline = request.get_param_value("pipelineid");
        state.uploads.push_back(request.get_file_value("uploadfile").content);
        const std::string id = state.NewId("v-");
        state.versions.push_back({id, request.get_param_value("name"), pipeline});
        response.set_content(item("pipeline_version_id", id, request.get_param_value("name"),
                                  ",\"pipeline_id\":" + Quoted(pipeline)),
                             "application/json");
      });
  server_->Get("/apis/v2beta1/pipelines",
               [&state, admit, item, unmatched](const httplib::Request& request,
                                                httplib::Response& response) {
                 if (!admit(request, response)) return;
                 std::lock_guard lock(state.mutex);
                 const std::string name = FilterName(request);
                 const std::string ns = ListNamespace(request);
                 std::string body = "{\"pipelines\":[";
                 bool first = true;
                 for (const auto& pipeline : state.pipelines) {
                   if (unmatched(request) || (!name.empty() && pipeline.name != name) ||
                       pipeline.ns != ns) {
                     continue;
                   }
                   body += (first ? "" : ",") + item("pipeline_id", pipeline.id, pipeline.name);
                   first = false;
                 }
                 response.set_content(body + "]}", "application/json");
               });
  server_->Get(R"(/apis/v2beta1/pipelines/([^/]+)/versions)",
               [&state, admit, item, unmatched](const httplib::Request& request,
                                                httplib::Response& response) {
                 if (!admit(request, response)) return;
                 std::lock_guard lock(state.mutex);
                 const std::string pipeline = request.matches[1].str();
                 const std::string name = FilterName(request);
                 std::vector<std::string> matching;
                 for (const auto& version : state.versions) {
                   if (version.parent != pipeline || unmatched(request) ||
                       (!name.empty() && version.name != name)) {
                     continue;
                   }
                   matching.push_back(item("pipeline_version_id", version.id, version.name,
                                           ",\"pipeline_id\":" + Quoted(pipeline)));
                 }
                 if (request.get_param_value("sort_by") == "created_at desc") {
                   std::reverse(matching.begin(), matching.end());
                 }
                 std::string body = "{\"pipeline_versions\":[";
                 for (std::size_t i = 0; i < matching.size(); ++i) {
                   body += (i > 0 ? "," : "") + matching[i];
                 }
                 response.set_content(body + "]}", "application/json");
               });
  server_->Get(
      R"(/apis/v2beta1/pipelines/([^/]+)/versions/([^/]+))",
      [&state, admit, item](const httplib::Request& request, httplib::Response& response) {
        if (!admit(request, response)) return;
        std::lock_guard lock(state.mutex);
        for (const auto& version : state.versions) {
          if (version.id != request.matches[2].str()) continue;
          std::string spec;
          if (state.declared) {
            spec = R"(,"pipeline_spec":{"pipelineInfo":{"name":)" + Quoted(version.name) +
                   R"(},"root":{"inputDefinitions":)"
                   R"({"parameters":{)";
            for (std::size_t i = 0; i < state.declared->size(); ++i) {
              const auto& [name, type] = (*state.declared)[i];
              spec +=
                  (i > 0 ? "," : "") + Quoted(name) + R"(:{"parameterType":)" + Quoted(type) + "}";
            }
            spec += "}}}}";
          }
          return response.set_content(item("pipeline_version_id", version.id, version.name,
                                           ",\"pipeline_id\":" + Quoted(version.parent) + spec),
                                      "application/json");
        }
        Error(response, 404, 5, "pipeline version not found");
      });
  server_->Get(R"(/apis/v2beta1/pipelines/([^/]+))",
               [&state, admit, item](const httplib::Request& request, httplib::Response& response) {
                 if (!admit(request, response)) return;
                 std::lock_guard lock(state.mutex);
                 for (const auto& pipeline : state.pipelines) {
                   if (pipeline.id == request.matches[1].str()) {
                     return response.set_content(item("pipeline_id", pipeline.id, pipeline.name),
                                                 "application/json");
                   }
                 }
                 Error(response, 404, 5, "pipeline not found");
               });
  server_->Get("/apis/v2beta1/experiments", [&state, admit, item](const httplib::Request& request,
                                                                  httplib::Response& response) {
    if (!admit(request, response)) return;
    std::lock_guard lock(state.mutex);
    const std::string name = FilterName(request);
    const std::string ns = ListNamespace(request);
    std::string body = "{\"experiments\":[";
    bool first = true;
    for (const auto& experiment : state.experiments) {
      if ((!name.empty() && experiment.name != name) || experiment.ns != ns) continue;
      body += (first ? "" : ",") + item("experiment_id", experiment.id, experiment.name);
      first = false;
    }
    response.set_content(body + "]}", "application/json");
  });
  server_->Post("/apis/v2beta1/experiments", [&state, admit, item](const httplib::Request& request,
                                                                   httplib::Response& response) {
    if (!admit(request, response)) return;
    std::lock_guard lock(state.mutex);
    std::smatch match;
    static const std::regex kName(R"re("display_name"\s*:\s*"([^"]*)")re");
    const std::string name = std::regex_search(request.body, match, kName) ? match[1].str() : "";
    const std::string id = state.NewId("e-");
    state.experiments.push_back({id, name, "", BodyField(request.body, "namespace")});
    response.set_content(item("experiment_id", id, name), "application/json");
  });
  server_->Post("/apis/v2beta1/runs",
                [&state, admit](const httplib::Request& request, httplib::Response& response) {
                  if (!admit(request, response)) return;
                  std::lock_guard lock(state.mutex);
                  if (state.declared) {
                    const std::string refused = RefusedParameters(request.body, *state.declared);
                    if (!refused.empty()) return Error(response, 400, 3, refused);
                  }
                  const std::string id = state.NewId("r-");
                  state.runs.push_back({id, BodyField(request.body, "display_name"),
                                        BodyField(request.body, "experiment_id")});
                  state.descriptions[id] = BodyField(request.body, "description");
                  state.created_at[id] = FormatRfc3339(std::chrono::system_clock::now(), 0);
                  response.set_content("{\"run_id\":" + Quoted(id) + ",\"state\":\"PENDING\"}",
                                       "application/json");
                });
  server_->Get("/apis/v2beta1/runs", [&state, admit](const httplib::Request& request,
                                                     httplib::Response& response) {
    if (!admit(request, response)) return;
    std::lock_guard lock(state.mutex);
    response.set_content(
        state.RunList(request.get_param_value("experiment_id"), FilterName(request),
                      [&state](const State::Item& run) {
                        return "{\"run_id\":" + Quoted(run.id) +
                               ",\"display_name\":" + Quoted(run.name) +
                               ",\"description\":" + Quoted(state.descriptions[run.id]) +
                               ",\"experiment_id\":" + Quoted(run.parent) +
                               ",\"created_at\":" + Quoted(state.created_at.at(run.id)) +
                               ",\"state\":\"PENDING\"}";
                      }),
        "application/json");
  });
  server_->Get(R"(/apis/v2beta1/runs/([^/]+))", [&state, admit](const httplib::Request& request,
                                                                httplib::Response& response) {
    if (!admit(request, response)) return;
    std::lock_guard lock(state.mutex);
    const std::string id = request.matches[1].str();
    std::size_t& polls = state.run_polls[id];
    std::string status = state.run_progress[std::min(polls++, state.run_progress.size() - 1)];
    // The same progress, in v2's words.
    std::string upper = status.empty() ? "PENDING" : status;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    response.set_content("{\"run_id\":" + Quoted(id) + ",\"state\":" + Quoted(upper) + "}",
                         "application/json");
  });
}

FakeKfpApi::~FakeKfpApi() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakeKfpApi::Url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FakeKfpApi::RequireToken(const std::string& token) {
  std::lock_guard lock(state_->mutex);
  state_->token = token;
}

void FakeKfpApi::FailNext(int status, int count) {
  std::lock_guard lock(state_->mutex);
  state_->fail_status = status;
  state_->fail_count = count;
}

void FakeKfpApi::SetRunProgress(std::vector<std::string> statuses) {
  std::lock_guard lock(state_->mutex);
  state_->run_progress = std::move(statuses);
}

std::string FakeKfpApi::AddPipeline(const std::string& name) {
  std::lock_guard lock(state_->mutex);
  const std::string id = state_->NewId("p-");
  state_->pipelines.push_back({id, name, ""});
  state_->versions.push_back({id, name, id});
  return id;
}

void FakeKfpApi::LoseNextAnswers(int count) {
  std::lock_guard lock(state_->mutex);
  state_->lose_answers = count;
}

void FakeKfpApi::DropNextCreates(int count) {
  std::lock_guard lock(state_->mutex);
  state_->drop_creates = count;
}

std::vector<std::string> FakeKfpApi::Runs() const {
  std::lock_guard lock(state_->mutex);
  std::vector<std::string> runs;
  for (const auto& run : state_->runs) runs.push_back(run.name + "@" + run.parent);
  return runs;
}

std::vector<std::string> FakeKfpApi::Experiments() const {
  std::lock_guard lock(state_->mutex);
  std::vector<std::string> experiments;
  for (const auto& experiment : state_->experiments) {
    experiments.push_back(experiment.name + "@" + experiment.ns);
  }
  return experiments;
}

void FakeKfpApi::SpeakKfp2() {
  std::lock_guard lock(state_->mutex);
  state_->speaks_v2 = true;
}

void FakeKfpApi::SpeakKfp20() {
  std::lock_guard lock(state_->mutex);
  state_->speaks_v2 = true;
  state_->display_name_only = true;
}

void FakeKfpApi::DeclareParameters(std::vector<std::pair<std::string, std::string>> declared) {
  std::lock_guard lock(state_->mutex);
  state_->declared = std::move(declared);
}

std::vector<RecordedRequest> FakeKfpApi::Requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::vector<std::string> FakeKfpApi::UploadedFiles() const {
  std::lock_guard lock(state_->mutex);
  return state_->uploads;
}

}  // namespace kfpevents::testing
