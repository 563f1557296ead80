#include "kube/exec_credential.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <rapidjson/document.h>
#include <vector>

#include "core/base64.hpp"
#include "core/rfc3339.hpp"
#include "json/go_json.hpp"
#include "json/json_fields.hpp"

extern char** environ;

namespace kfpevents::kube {
namespace {

constexpr std::size_t kMaxOutputBytes = 1024 * 1024;

// The environment the plugin runs with: ours, its own variables, and KUBERNETES_EXEC_INFO.
std::vector<std::string> PluginEnvironment(const ExecCredentialConfig& exec,
                                           const std::string& exec_info) {
  std::vector<std::string> out;
  const auto overridden = [&](const std::string& entry) {
    const std::string name = entry.substr(0, entry.find('='));
    if (name == "KUBERNETES_EXEC_INFO") return true;
    for (const auto& [key, value] : exec.env) {
      if (key == name) return true;
    }
    return false;
  };
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!overridden(*entry)) out.emplace_back(*entry);
  }
  for (const auto& [key, value] : exec.env) out.push_back(key + "=" + value);
  out.push_back("KUBERNETES_EXEC_INFO=" + exec_info);
  return out;
}

}  // namespace

std::string ExecInfo(const ExecCredentialConfig& exec, const ApiConnection& connection) {
  std::string out = "{\"apiVersion\":";
  json::AppendGoString(out, exec.api_version);
  out += ",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false";
  if (exec.provide_cluster_info) {
    out += ",\"cluster\":{\"server\":";
    json::AppendGoString(out, connection.server);
    if (!connection.ca_pem.empty()) {
      out += ",\"certificate-authority-data\":";
      json::AppendGoString(out, EncodeBase64(connection.ca_pem));
    }
    if (connection.insecure_skip_tls_verify) out += ",\"insecure-skip-tls-verify\":true";
    out += "}";
  }
  return out + "}}";
}

Result<ExecToken> ParseExecCredential(const std::string& output, const std::string& api_version) {
  rapidjson::Document document;
  document.Parse(output.c_str(), output.size());
  if (document.HasParseError() || !document.IsObject()) {
    return Status::InvalidArgument("its output is not an ExecCredential (not a JSON object)");
  }
  const std::string kind = json::StringMember(document, "kind");
  const std::string version = json::StringMember(document, "apiVersion");
  if (kind != "ExecCredential") {
    return Status::InvalidArgument("its output is a \"" + kind + "\", not an ExecCredential");
  }
  if (version != api_version) {
    return Status::InvalidArgument("its ExecCredential is " + version + ", not the " +
                                   api_version + " the kubeconfig asks for");
  }
  const rapidjson::Value* status = json::ObjectMember(document, "status");
  ExecToken token;
  if (status != nullptr) {
    token.token = json::StringMember(*status, "token");
    token.client_cert_pem = json::StringMember(*status, "clientCertificateData");
    token.client_key_pem = json::StringMember(*status, "clientKeyData");
  }
  if (token.client_cert_pem.empty() != token.client_key_pem.empty()) {
    return Status::InvalidArgument(
        token.client_cert_pem.empty()
            ? "its ExecCredential has status.clientKeyData without clientCertificateData"
            : "its ExecCredential has status.clientCertificateData without clientKeyData");
  }
  if (token.token.empty() && token.client_cert_pem.empty()) {
    return Status::InvalidArgument(
        "its ExecCredential has neither status.token nor status.clientCertificateData");
  }
  const std::string expires = json::StringMember(*status, "expirationTimestamp");
  if (!expires.empty()) {
    const std::optional<std::int64_t> seconds = ParseRfc3339Seconds(expires);
    if (!seconds) {
      return Status::InvalidArgument("its status.expirationTimestamp is not RFC 3339");
    }
    token.expires = std::chrono::system_clock::time_point(std::chrono::seconds(*seconds));
  }
  return token;
}

Result<ExecToken> RunExecPlugin(const ExecCredentialConfig& exec, const ApiConnection& connection,
                                std::chrono::seconds timeout) {
  const std::string what = "credential plugin " + exec.command;
  // Everything the child needs is built before fork: only async-signal-safe calls after it.
  std::vector<std::string> args = {exec.command};
  args.insert(args.end(), exec.args.begin(), exec.args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment = PluginEnvironment(exec, ExecInfo(exec, connection));
  std::vector<char*> envp;
  for (std::string& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);

  int out[2];
  int errors[2];  // the child's exec failure, if any (closed on a successful exec)
  if (pipe2(out, O_CLOEXEC) != 0) return Status::Unavailable(what + ": pipe: " + strerror(errno));
  if (pipe2(errors, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return Status::Unavailable(what + ": pipe: " + strerror(errno));
  }
  const pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {out[0], out[1], errors[0], errors[1]}) close(fd);
    return Status::Unavailable(what + ": fork: " + strerror(errno));
  }
  if (pid == 0) {
    const int null_in = open("/dev/null", O_RDONLY);
    const int null_err = open("/dev/null", O_WRONLY);  // what it says may hold secrets
    dup2(null_in, 0);
    dup2(out[1], 1);
    dup2(null_err, 2);
    execvpe(argv[0], argv.data(), envp.data());
    const int error = errno;
    [[maybe_unused]] const ssize_t ignored = write(errors[1], &error, sizeof(error));
    _exit(127);
  }
  close(out[1]);
  close(errors[1]);
  int exec_errno = 0;
  const bool exec_failed = read(errors[0], &exec_errno, sizeof(exec_errno)) == sizeof(exec_errno);
  close(errors[0]);

  std::string output;
  bool too_long = false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd ready{out[0], POLLIN, 0};
    const int polled = poll(&ready, 1, static_cast<int>(left.count()));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) continue;
    char buffer[4096];
    const ssize_t got = read(out[0], buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (output.size() + static_cast<std::size_t>(got) > kMaxOutputBytes) {
      too_long = true;
      break;
    }
    output.append(buffer, static_cast<std::size_t>(got));
  }
  close(out[0]);
  if (timed_out || too_long) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (exec_failed) {
    return Status::Unavailable(what + " cannot be run: " + strerror(exec_errno) +
                               (exec.install_hint.empty() ? "" : " (" + exec.install_hint + ")"));
  }
  if (timed_out) {
    return Status::Unavailable(what + " did not finish within " +
                               std::to_string(timeout.count()) + " s");
  }
  if (too_long) return Status::Unavailable(what + " printed more than 1 MiB");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::Unavailable(
        what + (WIFEXITED(status) ? " exited with status " + std::to_string(WEXITSTATUS(status))
                                  : " was killed by signal " + std::to_string(WTERMSIG(status))));
  }
  Result<ExecToken> token = ParseExecCredential(output, exec.api_version);
  if (!token) return Status::Unavailable(what + ": " + token.error().message());
  return token;
}

}  // namespace kfpevents::kube
