#include "kube/exec_credential.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kfpevents::kube {
namespace {

using ::testing::HasSubstr;
using ::testing::AllOf;
using ::testing::Not;

constexpr const char* kV1 = "client.authentication.k8s.io/v1";

TEST(ExecCredentialTest, ReadsTheTokenAndItsExpiry) {
  Result<ExecToken> token = ParseExecCredential(
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
      R"("status":{"token":"T0KEN","expirationTimestamp":"2026-11-26T08:00:00Z"}})",
      kV1);
  ASSERT_TRUE(token) << token.error().ToString();
  EXPECT_EQ(token->token, "T0KEN");
  ASSERT_TRUE(token->expires);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(token->expires->time_since_epoch())
                .count(),
            1795680000);
  Result<ExecToken> forever = ParseExecCredential(
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
      R"("status":{"token":"T0KEN"}})",
      kV1);
  ASSERT_TRUE(forever);
  EXPECT_FALSE(forever->expires);
}

TEST(ExecCredentialTest, ReadsAClientCertificateAndItsKey) {
  Result<ExecToken> certificate = ParseExecCredential(
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
      R"("status":{"clientCertificateData":"-----BEGIN CERTIFICATE-----\nMIIB\n",)"
      R"("clientKeyData":"-----BEGIN EC PRIVATE KEY-----\nMHc\n",)"
      R"("expirationTimestamp":"2026-11-26T12:00:00Z"}})",
      kV1);
  ASSERT_TRUE(certificate) << certificate.error().ToString();
  EXPECT_TRUE(certificate->token.empty());
  EXPECT_EQ(certificate->client_cert_pem, "-----BEGIN CERTIFICATE-----\nMIIB\n");
  EXPECT_EQ(certificate->client_key_pem, "-----BEGIN EC PRIVATE KEY-----\nMHc\n");
  EXPECT_TRUE(certificate->expires);
}

TEST(ExecCredentialTest, SaysWhatIsWrongAndNeverEchoesAToken) {
  const auto error = [](const std::string& output) {
    Result<ExecToken> token = ParseExecCredential(output, kV1);
    return token ? std::string("parsed") : token.error().message();
  };
  EXPECT_THAT(error("please log in at https://microsoft.com/devicelogin"),
              HasSubstr("not a JSON object"));
  EXPECT_THAT(error(R"({"apiVersion":"v1","kind":"Secret"})"), HasSubstr("a \"Secret\""));
  EXPECT_THAT(error(R"({"apiVersion":"client.authentication.k8s.io/v1beta1",)"
                    R"("kind":"ExecCredential","status":{"token":"T0KEN"}})"),
              AllOf(HasSubstr("not the client.authentication.k8s.io/v1"), Not(HasSubstr("T0KEN"))));
  EXPECT_THAT(error(R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
                    R"("status":{"clientCertificateData":"-----BEGIN"}})"),
              HasSubstr("clientCertificateData without clientKeyData"));
  EXPECT_THAT(error(R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
                    R"("status":{}})"),
              HasSubstr("neither status.token nor status.clientCertificateData"));
  EXPECT_THAT(error(R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
                    R"("status":{"token":"T0KEN","expirationTimestamp":"tomorrow"}})"),
              AllOf(HasSubstr("expirationTimestamp is not RFC 3339"), Not(HasSubstr("T0KEN"))));
}

TEST(ExecCredentialTest, TellsThePluginItIsNotInteractiveAndWhichClusterWhenAsked) {
  ExecCredentialConfig exec;
  exec.api_version = kV1;
  ApiConnection connection;
  connection.server = "https://aks.example:443";
  connection.ca_pem = "PEM";
  EXPECT_EQ(ExecInfo(exec, connection),
            R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
            R"("spec":{"interactive":false}})");
  exec.provide_cluster_info = true;
  EXPECT_EQ(ExecInfo(exec, connection),
            R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
            R"("spec":{"interactive":false,"cluster":{"server":"https://aks.example:443",)"
            R"("certificate-authority-data":"UEVN"}}})");
}

}  // namespace
}  // namespace kfpevents::kube
