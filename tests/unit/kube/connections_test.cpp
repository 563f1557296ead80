#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "kfpevents/kube.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

std::string Kubeconfig(const std::string& cluster, const std::string& user,
                       const std::string& extra_contexts = "") {
  return "apiVersion: v1\nkind: Config\ncurrent-context: main\n"
         "contexts:\n"
         "- name: main\n  context: {cluster: c1, user: u1, namespace: kubeflow}\n" +
         extra_contexts + "clusters:\n- name: c1\n  cluster:\n" + cluster +
         "users:\n- name: u1\n  user:\n" + user;
}

TEST(LoadKubeconfigTest, ReadsTheCurrentContextsClusterUserAndNamespace) {
  TempDir dir;
  dir.Write("ca.pem", "CA PEM");
  dir.Write("token", "file-token");
  const std::string path =
      dir.Write("config", Kubeconfig("    server: https://k8s.example:6443/\n"
                                     "    certificate-authority: ca.pem\n",
                                     "    token: secret-value\n    tokenFile: token\n"));
  Result<ApiConnection> connection = LoadKubeconfig(path);
  ASSERT_TRUE(connection) << connection.error().ToString();
  EXPECT_EQ(connection->server, "https://k8s.example:6443");  // trailing slash dropped
  EXPECT_EQ(connection->ca_pem, "CA PEM");                    // relative to the file's folder
  EXPECT_EQ(connection->token, "secret-value");
  EXPECT_EQ(connection->token_file, (dir.path() / "token").string());
  EXPECT_EQ(connection->namespace_name, "kubeflow");
  EXPECT_FALSE(connection->insecure_skip_tls_verify);
  EXPECT_THAT(connection->origin, HasSubstr("context main"));
}

TEST(LoadKubeconfigTest, DecodesInlineDataAndHonoursInsecure) {
  TempDir dir;
  // base64 of "CA", "CERT", "KEY"
  const std::string path = dir.Write("config", Kubeconfig("    server: https://127.0.0.1:6443\n"
                                                          "    certificate-authority-data: Q0E=\n"
                                                          "    insecure-skip-tls-verify: true\n",
                                                          "    client-certificate-data: Q0VSVA==\n"
                                                          "    client-key-data: S0VZ\n"));
  Result<ApiConnection> connection = LoadKubeconfig(path);
  ASSERT_TRUE(connection) << connection.error().ToString();
  EXPECT_EQ(connection->ca_pem, "CA");
  EXPECT_EQ(connection->client_cert_pem, "CERT");
  EXPECT_EQ(connection->client_key_pem, "KEY");
  EXPECT_TRUE(connection->insecure_skip_tls_verify);
}

TEST(LoadKubeconfigTest, PicksTheContextAskedFor) {
  TempDir dir;
  const std::string path = dir.Write(
      "config", Kubeconfig("    server: https://a:1\n", "    token: t\n",
                           "- name: other\n  context: {cluster: c1, user: u1, namespace: ml}\n"));
  Result<ApiConnection> connection = LoadKubeconfig(path, "other");
  ASSERT_TRUE(connection);
  EXPECT_EQ(connection->namespace_name, "ml");
  EXPECT_THAT(LoadKubeconfig(path, "nope").error().message(),
              HasSubstr("no context named \"nope\""));
}

TEST(LoadKubeconfigTest, RefusesUnsupportedAuthByName) {
  TempDir dir;
  const std::string exec = dir.Write(
      "exec", Kubeconfig("    server: https://a:1\n",
                         "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                         "      command: aws-cli-not-installed\n"));
  EXPECT_THAT(LoadKubeconfig(exec).error().message(),
              HasSubstr("user \"u1\": credential plugin aws-cli-not-installed cannot be run"));
  const std::string old = dir.Write(
      "old", Kubeconfig("    server: https://a:1\n",
                        "    exec:\n      apiVersion: client.authentication.k8s.io/v1alpha1\n"
                        "      command: aws\n"));
  EXPECT_THAT(LoadKubeconfig(old).error().message(),
              HasSubstr("apiVersion must be client.authentication.k8s.io/v1 or v1beta1"));
  const std::string provider = dir.Write(
      "provider", Kubeconfig("    server: https://a:1\n", "    auth-provider:\n      name: gcp\n"));
  EXPECT_THAT(LoadKubeconfig(provider).error().message(), HasSubstr("`auth-provider`"));
  const std::string basic = dir.Write(
      "basic",
      Kubeconfig("    server: https://a:1\n", "    username: admin\n    password: hunter2\n"));
  const Status refused = LoadKubeconfig(basic).error();
  EXPECT_THAT(refused.message(), HasSubstr("basic auth"));
  EXPECT_THAT(refused.message(), Not(HasSubstr("hunter2")));
}

TEST(LoadKubeconfigTest, ReportsBrokenFilesWithoutEchoingSecrets) {
  TempDir dir;
  EXPECT_EQ(LoadKubeconfig((dir.path() / "missing").string()).error().code(), ErrorCode::kNotFound);
  const std::string bad_yaml = dir.Write("bad", "clusters: [\n");
  EXPECT_THAT(LoadKubeconfig(bad_yaml).error().message(), HasSubstr("invalid YAML"));
  const std::string bad_data = dir.Write("data", Kubeconfig("    server: https://a:1\n",
                                                            "    client-key-data: not*base64!\n"
                                                            "    client-certificate-data: Q0E=\n"));
  const Status status = LoadKubeconfig(bad_data).error();
  EXPECT_THAT(status.message(), HasSubstr("client-key-data is not base64"));
  EXPECT_THAT(status.message(), Not(HasSubstr("not*base64!")));
  const std::string half = dir.Write(
      "half", Kubeconfig("    server: https://a:1\n", "    client-certificate-data: Q0E=\n"));
  EXPECT_THAT(LoadKubeconfig(half).error().message(), HasSubstr("needs both"));
  const std::string no_server = dir.Write("noserver", Kubeconfig("    server: a:1\n", "    {}\n"));
  EXPECT_THAT(LoadKubeconfig(no_server).error().message(), HasSubstr("http(s) URL"));
}

class EnvironmentGuard {
 public:
  explicit EnvironmentGuard(std::vector<std::pair<std::string, std::string>> values) {
    for (const auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      saved_.emplace_back(name, old != nullptr ? std::optional<std::string>(old) : std::nullopt);
      if (value.empty()) {
        unsetenv(name.c_str());
      } else {
        setenv(name.c_str(), value.c_str(), 1);
      }
    }
  }
  ~EnvironmentGuard() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(InClusterConnectionTest, ReadsTheServiceAccountFiles) {
  TempDir dir;
  dir.Write("token", "sa-token\n");
  dir.Write("ca.crt", "CLUSTER CA");
  dir.Write("namespace", "kubeflow\n");
  EnvironmentGuard env(
      {{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}});
  Result<ApiConnection> connection = InClusterConnection(dir.path().string());
  ASSERT_TRUE(connection) << connection.error().ToString();
  EXPECT_EQ(connection->server, "https://10.0.0.1:443");
  EXPECT_EQ(connection->token_file, (dir.path() / "token").string());
  EXPECT_EQ(connection->ca_pem, "CLUSTER CA");
  EXPECT_EQ(connection->namespace_name, "kubeflow");
}

TEST(InClusterConnectionTest, BracketsIpv6AndExplainsWhatIsMissing) {
  TempDir dir;
  dir.Write("token", "t");
  dir.Write("ca.crt", "CA");
  {
    EnvironmentGuard env(
        {{"KUBERNETES_SERVICE_HOST", "fd00::1"}, {"KUBERNETES_SERVICE_PORT", "6443"}});
    EXPECT_EQ(InClusterConnection(dir.path().string())->server, "https://[fd00::1]:6443");
  }
  EnvironmentGuard env({{"KUBERNETES_SERVICE_HOST", std::string()}});
  EXPECT_THAT(InClusterConnection(dir.path().string()).error().message(),
              HasSubstr("KUBERNETES_SERVICE_HOST"));
}

TEST(DiscoverConnectionTest, PrefersTheFlagThenKubeconfigEnvThenInCluster) {
  TempDir dir;
  const std::string from_flag =
      dir.Write("flag", Kubeconfig("    server: https://flag:1\n", "    token: t\n"));
  const std::string from_env =
      dir.Write("env", Kubeconfig("    server: https://env:1\n", "    token: t\n"));
  EnvironmentGuard env(
      {{"KUBECONFIG", from_env + ":/elsewhere"}, {"KUBERNETES_SERVICE_HOST", "10.0.0.1"}});
  EXPECT_EQ(DiscoverConnection(from_flag, "")->server, "https://flag:1");
  EXPECT_EQ(DiscoverConnection("", "")->server, "https://env:1");
}

TEST(ArgoServerConnectionTest, ChecksTheUrlAndReadsTheCa) {
  TempDir dir;
  const std::string ca = dir.Write("ca.pem", "ARGO CA");
  Result<ApiConnection> connection =
      ArgoServerConnection("https://argo:2746/", "/var/run/argo/token", ca, false);
  ASSERT_TRUE(connection);
  EXPECT_EQ(connection->server, "https://argo:2746");
  EXPECT_EQ(connection->ca_pem, "ARGO CA");
  EXPECT_EQ(connection->token_file, "/var/run/argo/token");
  EXPECT_FALSE(ArgoServerConnection("argo:2746", "", "", false));
  EXPECT_FALSE(ArgoServerConnection("https://argo:2746", "", "/missing/ca", false));
}

}  // namespace
}  // namespace kfpevents
