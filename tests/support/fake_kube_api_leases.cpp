// The fake API server's coordination.k8s.io/v1 Leases, with the optimistic concurrency of the
// real one: an update must name the resourceVersion it read.
#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "support/fake_kube_api.hpp"
#include "support/fake_kube_api_store.hpp"
#include "support/httplib_record.hpp"

namespace kfpevents::testing {

namespace {

constexpr const char* kLeases = R"(/apis/coordination.k8s.io/v1/namespaces/([^/]+)/leases)";

// `json` with metadata.resourceVersion set to `version`; "" when it is no JSON object.
std::string WithVersion(const std::string& json, const std::string& version) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  if (document.HasParseError() || !document.IsObject()) return "";
  auto& allocator = document.GetAllocator();
  if (!document.HasMember("metadata") || !document["metadata"].IsObject()) {
    document.AddMember("metadata", rapidjson::Value(rapidjson::kObjectType), allocator);
  }
  rapidjson::Value& metadata = document["metadata"];
  metadata.RemoveMember("resourceVersion");
  metadata.AddMember("resourceVersion", rapidjson::Value(version.c_str(), allocator), allocator);
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  document.Accept(writer);
  return out.GetString();
}

std::string VersionOf(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  if (document.HasParseError() || !document.IsObject() || !document.HasMember("metadata")) {
    return "";
  }
  const rapidjson::Value& metadata = document["metadata"];
  if (!metadata.IsObject() || !metadata.HasMember("resourceVersion") ||
      !metadata["resourceVersion"].IsString()) {
    return "";
  }
  return metadata["resourceVersion"].GetString();
}

void Answer(httplib::Response& response, int status, const std::string& reason,
            const std::string& message) {
  response.status = status;
  response.set_content(StatusJson(status, reason, message), "application/json");
}

}  // namespace

std::string FakeKubeApi::Lease(const std::string& namespace_name, const std::string& name) const {
  std::lock_guard lock(store_->mutex);
  const auto found = store_->leases.find(namespace_name + "/" + name);
  return found == store_->leases.end() ? "" : found->second;
}

void FakeKubeApi::SetLease(const std::string& namespace_name, const std::string& name,
                           const std::string& json) {
  std::lock_guard lock(store_->mutex);
  store_->leases[namespace_name + "/" + name] =
      WithVersion(json, std::to_string(++store_->lease_version));
}

void FakeKubeApi::SetLeasesUnavailable(bool unavailable, const std::string& only_token) {
  std::lock_guard lock(store_->mutex);
  store_->leases_unavailable = unavailable;
  store_->leases_unavailable_token = only_token;
}

void FakeKubeApi::ServeLeases() {
  // Every Lease request: recorded, authorized, and refused while leases are "unavailable".
  auto admit = [this](const httplib::Request& request, httplib::Response& response) {
    const RecordedRequest recorded = testing::Record(request);
    Record(recorded);
    if (!Authorized(recorded)) {
      Answer(response, 401, "Unauthorized", "Unauthorized");
      return false;
    }
    std::lock_guard lock(store_->mutex);
    if (store_->leases_unavailable &&
        (store_->leases_unavailable_token.empty() ||
         recorded.Header("Authorization") == "Bearer " + store_->leases_unavailable_token)) {
      Answer(response, 503, "ServiceUnavailable", "etcd is unavailable");
      return false;
    }
    return true;
  };
  const std::string one = std::string(kLeases) + "/([^/]+)";

  server_->Get(one, [this, admit](const httplib::Request& request, httplib::Response& response) {
    if (!admit(request, response)) return;
    const std::string lease = Lease(request.matches[1].str(), request.matches[2].str());
    if (lease.empty()) {
      return Answer(response, 404, "NotFound",
                    "leases.coordination.k8s.io \"" + request.matches[2].str() + "\" not found");
    }
    response.set_content(lease, "application/json");
  });

  server_->Post(kLeases, [this, admit](const httplib::Request& request,
                                       httplib::Response& response) {
    if (!admit(request, response)) return;
    rapidjson::Document body;
    body.Parse(request.body.c_str());
    if (body.HasParseError() || !body.IsObject() || !body.HasMember("metadata") ||
        !body["metadata"].HasMember("name") || !body["metadata"]["name"].IsString()) {
      return Answer(response, 400, "BadRequest", "a Lease needs metadata.name");
    }
    const std::string key = request.matches[1].str() + "/" + body["metadata"]["name"].GetString();
    std::lock_guard lock(store_->mutex);
    if (store_->leases.count(key) != 0) {
      return Answer(response, 409, "AlreadyExists", "leases.coordination.k8s.io already exists");
    }
    const std::string stored = WithVersion(request.body, std::to_string(++store_->lease_version));
    store_->leases[key] = stored;
    response.status = 201;
    response.set_content(stored, "application/json");
  });

  server_->Put(one, [this, admit](const httplib::Request& request, httplib::Response& response) {
    if (!admit(request, response)) return;
    const std::string key = request.matches[1].str() + "/" + request.matches[2].str();
    std::lock_guard lock(store_->mutex);
    const auto found = store_->leases.find(key);
    if (found == store_->leases.end()) {
      return Answer(response, 404, "NotFound", "leases.coordination.k8s.io not found");
    }
    if (VersionOf(request.body) != VersionOf(found->second)) {
      return Answer(response, 409, "Conflict",
                    "Operation cannot be fulfilled on leases.coordination.k8s.io \"" +
                        request.matches[2].str() +
                        "\": the object has been modified; please apply your changes to the "
                        "latest version and try again");
    }
    found->second = WithVersion(request.body, std::to_string(++store_->lease_version));
    response.set_content(found->second, "application/json");
  });
}

}  // namespace kfpevents::testing
