#include "support/test_pki.hpp"

#include <stdexcept>

#include "support/process.hpp"

namespace kfpevents::testing {
namespace {

void OpenSsl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProcessResult result = RunProcess(argv);
  if (result.exit_code != 0) throw std::runtime_error("openssl failed: " + result.err);
}

// A P-256 key and a certificate for `subject` signed by the CA, with `extensions`.
void Issue(const TempDir& dir, const std::string& name, const std::string& subject,
           const std::string& extensions, const TestPki& pki) {
  const std::string base = (dir.path() / name).string();
  const std::string ext_file = dir.Write(name + ".ext", extensions + "\n");
  OpenSsl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           base + ".key", "-out", base + ".csr", "-subj", subject});
  OpenSsl({"x509", "-req", "-in", base + ".csr", "-CA", pki.ca_cert, "-CAkey",
           (dir.path() / "ca.key").string(), "-CAcreateserial", "-days", "2", "-out", base + ".crt",
           "-extfile", ext_file});
}

}  // namespace

TestPki MakeTestPki(const TempDir& dir) {
  TestPki pki;
  pki.ca_cert = (dir.path() / "ca.crt").string();
  OpenSsl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", (dir.path() / "ca.key").string(), "-out", pki.ca_cert, "-days", "2", "-subj",
           "/CN=kfp-eventd test CA"});
  Issue(dir, "server", "/CN=127.0.0.1",
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth", pki);
  Issue(dir, "client", "/CN=kfp-eventd/O=system:serviceaccounts", "extendedKeyUsage=clientAuth",
        pki);
  pki.server_cert = (dir.path() / "server.crt").string();
  pki.server_key = (dir.path() / "server.key").string();
  pki.client_cert = (dir.path() / "client.crt").string();
  pki.client_key = (dir.path() / "client.key").string();
  return pki;
}

}  // namespace kfpevents::testing
