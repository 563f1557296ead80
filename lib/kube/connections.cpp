// Where the API server is and which credentials to use: in-cluster service account files, or a
// kubeconfig as kubectl reads it. Errors name files and keys, never secret values.
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>

#include "core/base64.hpp"
#include "core/files.hpp"
#include "core/strings.hpp"
#include "kfpevents/kube.hpp"
#include "kube/exec_credential.hpp"

namespace kfpevents {
namespace {

namespace fs = std::filesystem;

std::string EnvOr(const char* name, const std::string& fallback = "") {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : fallback;
}

// "https://host:port", with IPv6 hosts in brackets.
std::string HttpsUrl(const std::string& host, const std::string& port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
}

// `url` without trailing slashes (paths are appended to it), or "" when it is not http(s).
std::string ServerBase(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  const bool http = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
  return http ? url : std::string();
}

// The `name` entry of a kubeconfig list such as clusters: [{name: x, cluster: {...}}].
YAML::Node NamedEntry(const YAML::Node& list, const std::string& name, const char* field) {
  if (!list || !list.IsSequence()) return YAML::Node(YAML::NodeType::Undefined);
  for (const YAML::Node& entry : list) {
    if (entry.IsMap() && entry["name"] && entry["name"].IsScalar() &&
        entry["name"].Scalar() == name) {
      return entry[field];
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string ScalarOr(const YAML::Node& map, const char* key, const std::string& fallback = "") {
  if (!map || !map.IsMap()) return fallback;
  const YAML::Node value = map[key];
  return value && value.IsScalar() ? value.Scalar() : fallback;
}

class KubeconfigReader {
 public:
  explicit KubeconfigReader(std::string path)
      : path_(std::move(path)), dir_(fs::path(path_).parent_path()) {}

  Result<ApiConnection> Read(const std::string& wanted_context) {
    Result<std::string> text = ReadFile(path_, "kubeconfig");
    if (!text) return text.error();
    YAML::Node root;
    try {
      root = YAML::Load(*text);
    } catch (const YAML::Exception& error) {
      return Status::InvalidArgument(path_ + ": invalid YAML at line " +
                                     std::to_string(error.mark.line + 1) + ": " + error.msg);
    }
    if (!root.IsMap()) return Status::InvalidArgument(path_ + ": not a kubeconfig mapping");

    const std::string context_name =
        wanted_context.empty() ? ScalarOr(root, "current-context") : wanted_context;
    if (context_name.empty()) {
      return Status::InvalidArgument(path_ + ": no current-context; pick one with --context");
    }
    const YAML::Node context = NamedEntry(root["contexts"], context_name, "context");
    if (!context || !context.IsMap()) {
      return Status::NotFound(path_ + ": no context named \"" + context_name + "\"");
    }
    const std::string cluster_name = ScalarOr(context, "cluster");
    const YAML::Node cluster = NamedEntry(root["clusters"], cluster_name, "cluster");
    if (!cluster || !cluster.IsMap()) {
      return Status::NotFound(path_ + ": context \"" + context_name + "\" names cluster \"" +
                              cluster_name + "\", which is not in clusters");
    }

    ApiConnection connection;
    connection.origin = "kubeconfig " + path_ + " (context " + context_name + ")";
    connection.namespace_name = ScalarOr(context, "namespace");
    if (Status status = ReadCluster(cluster, connection); !status.ok()) return status;
    const std::string user_name = ScalarOr(context, "user");
    if (!user_name.empty()) {
      const YAML::Node user = NamedEntry(root["users"], user_name, "user");
      if (!user) {
        return Status::NotFound(path_ + ": context \"" + context_name + "\" names user \"" +
                                user_name + "\", which is not in users");
      }
      if (Status status = ReadUser(user_name, user, connection); !status.ok()) return status;
    }
    return connection;
  }

 private:
  Status ReadCluster(const YAML::Node& cluster, ApiConnection& connection) {
    connection.server = ScalarOr(cluster, "server");
    while (!connection.server.empty() && connection.server.back() == '/') {
      connection.server.pop_back();
    }
    if (connection.server.rfind("https://", 0) != 0 && connection.server.rfind("http://", 0) != 0) {
      return Status::InvalidArgument(path_ + ": cluster server must be an http(s) URL");
    }
    connection.insecure_skip_tls_verify = ScalarOr(cluster, "insecure-skip-tls-verify") == "true";
    return ReadPem(cluster, "certificate-authority", connection.ca_pem);
  }

  Status ReadUser(const std::string& name, const YAML::Node& user, ApiConnection& connection) {
    if (!user.IsMap()) return Status::Ok();  // `user: {}` or null: anonymous
    if (user["auth-provider"]) {
      return Status::InvalidArgument(
          path_ + ": user \"" + name +
          "\" authenticates with `auth-provider`, which Kubernetes removed; use its exec "
          "plugin (kubelogin, gke-gcloud-auth-plugin), a token, tokenFile or client certificate");
    }
    if (user["exec"]) return ReadExec(name, user["exec"], connection);
    if (user["username"] || user["password"]) {
      return Status::InvalidArgument(path_ + ": user \"" + name +
                                     "\" uses basic auth (username/password), which Kubernetes "
                                     "removed; use a token or a client certificate");
    }
    connection.token = ScalarOr(user, "token");
    const std::string token_file = ScalarOr(user, "tokenFile");
    if (!token_file.empty()) connection.token_file = Resolve(token_file);
    if (Status s = ReadPem(user, "client-certificate", connection.client_cert_pem); !s.ok()) {
      return s;
    }
    if (Status s = ReadPem(user, "client-key", connection.client_key_pem); !s.ok()) return s;
    if (connection.client_cert_pem.empty() != connection.client_key_pem.empty()) {
      return Status::InvalidArgument(path_ + ": user \"" + name +
                                     "\" needs both client-certificate and client-key");
    }
    return Status::Ok();
  }

  // A credential plugin, checked by running it once: a kubeconfig whose plugin cannot give a
  // token is a startup error, not a stream of 401s.
  Status ReadExec(const std::string& name, const YAML::Node& exec, ApiConnection& connection) {
    const std::string where = path_ + ": user \"" + name + "\" exec: ";
    if (!exec.IsMap()) return Status::InvalidArgument(where + "must be a mapping");
    ExecCredentialConfig config;
    config.api_version = ScalarOr(exec, "apiVersion");
    if (config.api_version != "client.authentication.k8s.io/v1" &&
        config.api_version != "client.authentication.k8s.io/v1beta1") {
      return Status::InvalidArgument(where + "apiVersion must be client.authentication.k8s.io/v1 "
                                             "or v1beta1, not \"" + config.api_version + "\"");
    }
    config.command = ScalarOr(exec, "command");
    if (config.command.empty()) return Status::InvalidArgument(where + "command is missing");
    // As client-go: a relative path (with a slash) is the kubeconfig folder's; a bare name is
    // looked up on PATH.
    if (config.command.find('/') != std::string::npos) config.command = Resolve(config.command);
    if (const YAML::Node args = exec["args"]; args && args.IsSequence()) {
      for (const YAML::Node& arg : args) config.args.push_back(arg.Scalar());
    }
    if (const YAML::Node env = exec["env"]; env && env.IsSequence()) {
      for (const YAML::Node& variable : env) {
        config.env.emplace_back(ScalarOr(variable, "name"), ScalarOr(variable, "value"));
      }
    }
    const std::string mode = ScalarOr(exec, "interactiveMode");
    if (mode == "Always") {
      return Status::InvalidArgument(where + "interactiveMode Always needs a terminal, and "
                                             "kfp-eventd runs without one; use a plugin mode that "
                                             "needs none (e.g. kubelogin's workload identity, "
                                             "service principal or azurecli login)");
    }
    if (!mode.empty() && mode != "Never" && mode != "IfAvailable") {
      return Status::InvalidArgument(where + "interactiveMode must be Never, IfAvailable or "
                                             "Always, not \"" + mode + "\"");
    }
    config.provide_cluster_info = ScalarOr(exec, "provideClusterInfo") == "true";
    config.install_hint = ScalarOr(exec, "installHint");
    connection.exec = config;
    Result<kube::ExecToken> first = kube::RunExecPlugin(config, connection);
    if (!first) return Status::InvalidArgument(path_ + ": user \"" + name + "\": " +
                                               first.error().message());
    return Status::Ok();
  }

  // `key` (a path) or `key-data` (base64 inline), as PEM text.
  Status ReadPem(const YAML::Node& map, const std::string& key, std::string& pem) {
    const std::string data = ScalarOr(map, (key + "-data").c_str());
    if (!data.empty()) {
      std::optional<std::string> decoded = DecodeBase64(data);
      if (!decoded) return Status::InvalidArgument(path_ + ": " + key + "-data is not base64");
      pem = std::move(*decoded);
      return Status::Ok();
    }
    const std::string file = ScalarOr(map, key.c_str());
    if (file.empty()) return Status::Ok();
    Result<std::string> content = ReadFile(Resolve(file), key);
    if (!content) return Status(content.error().code(), path_ + ": " + content.error().message());
    pem = std::move(*content);
    return Status::Ok();
  }

  std::string Resolve(const std::string& file) const {
    const fs::path p(file);
    return p.is_absolute() ? file : (dir_ / p).string();
  }

  std::string path_;
  fs::path dir_;
};

}  // namespace

Result<ApiConnection> InClusterConnection(const std::string& service_account_dir) {
  const std::string host = EnvOr("KUBERNETES_SERVICE_HOST");
  const std::string port = EnvOr("KUBERNETES_SERVICE_PORT", "443");
  if (host.empty()) {
    return Status::NotFound("not in a cluster: KUBERNETES_SERVICE_HOST is not set");
  }
  ApiConnection connection;
  connection.origin = "in-cluster service account";
  connection.server = HttpsUrl(host, port);
  const fs::path dir(service_account_dir);
  connection.token_file = (dir / "token").string();
  Result<std::string> token = ReadFile(connection.token_file, "service account token");
  if (!token) return token.error();
  Result<std::string> ca = ReadFile((dir / "ca.crt").string(), "service account CA");
  if (!ca) return ca.error();
  connection.ca_pem = std::move(*ca);
  if (Result<std::string> ns = ReadFile((dir / "namespace").string(), "namespace file")) {
    connection.namespace_name = std::string(Trim(*ns));
  }
  return connection;
}

Result<ApiConnection> LoadKubeconfig(const std::string& path, const std::string& context) {
  return KubeconfigReader(path).Read(context);
}

Result<ApiConnection> ArgoServerConnection(const std::string& url, const std::string& token_file,
                                           const std::string& ca_file,
                                           bool insecure_skip_tls_verify) {
  ApiConnection connection;
  connection.origin = "Argo Server";
  connection.server = ServerBase(url);
  if (connection.server.empty()) {
    return Status::InvalidArgument("the Argo Server address must be an http(s) URL");
  }
  connection.token_file = token_file;
  connection.insecure_skip_tls_verify = insecure_skip_tls_verify;
  if (!ca_file.empty()) {
    Result<std::string> pem = ReadFile(ca_file, "Argo Server CA file");
    if (!pem) return pem.error();
    connection.ca_pem = std::move(*pem);
  }
  return connection;
}

Result<ApiConnection> DiscoverConnection(const std::string& kubeconfig,
                                         const std::string& context) {
  if (!kubeconfig.empty()) return LoadKubeconfig(kubeconfig, context);
  const std::string from_env = EnvOr("KUBECONFIG");
  if (!from_env.empty()) {
    // Like kubectl, take the first file of the list (merging several is not supported).
    return LoadKubeconfig(from_env.substr(0, from_env.find(':')), context);
  }
  if (!EnvOr("KUBERNETES_SERVICE_HOST").empty()) return InClusterConnection();
  const std::string home = EnvOr("HOME");
  const std::string default_path = home.empty() ? "" : home + "/.kube/config";
  if (default_path.empty() || !fs::exists(default_path)) {
    return Status::NotFound(
        "no Kubernetes credentials: not in a cluster, no --kubeconfig, no $KUBECONFIG and no "
        "~/.kube/config");
  }
  return LoadKubeconfig(default_path, context);
}

}  // namespace kfpevents
