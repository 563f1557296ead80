// deploy/: the manifests parse, grant only what kfp-eventd uses, run it locked down, and the
// subscribers they mount pass kfp-eventd's own validation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace kfpevents {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

const fs::path kDeployDir = KFPEVENTS_DEPLOY_DIR;

// Every manifest listed in the kustomization, by kind.
std::map<std::string, YAML::Node> ManifestsByKind() {
  const YAML::Node kustomization =
      YAML::LoadFile((kDeployDir / "kubernetes/kustomization.yaml").string());
  std::map<std::string, YAML::Node> by_kind;
  for (const YAML::Node& resource : kustomization["resources"]) {
    const fs::path file = kDeployDir / "kubernetes" / resource.as<std::string>();
    for (const YAML::Node& document : YAML::LoadAllFromFile(file.string())) {
      EXPECT_TRUE(document["apiVersion"]) << file;
      EXPECT_TRUE(document["metadata"]["name"]) << file;
      by_kind[document["kind"].as<std::string>()] = document;
    }
  }
  return by_kind;
}

std::set<std::string> Strings(const YAML::Node& sequence) {
  std::set<std::string> out;
  for (const YAML::Node& item : sequence) out.insert(item.as<std::string>());
  return out;
}

TEST(DeployManifestsTest, EveryFileInTheFolderIsListedAndParses) {
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(kDeployDir / "kubernetes")) {
    if (entry.path().filename() != "kustomization.yaml") files.insert(entry.path().filename());
  }
  const YAML::Node kustomization =
      YAML::LoadFile((kDeployDir / "kubernetes/kustomization.yaml").string());
  EXPECT_EQ(Strings(kustomization["resources"]), files);
  std::set<std::string> kinds;
  for (const auto& [kind, document] : ManifestsByKind()) kinds.insert(kind);
  EXPECT_THAT(kinds, UnorderedElementsAre("ServiceAccount", "Role", "RoleBinding", "ConfigMap",
                                          "PersistentVolumeClaim", "Deployment", "Service"));
}

// The Service Prometheus finds the pods by: it selects the pods' labels and names their port.
TEST(DeployManifestsTest, TheServiceSelectsThePodsMetricsPort) {
  std::map<std::string, YAML::Node> manifests = ManifestsByKind();
  const YAML::Node service = manifests["Service"];
  const YAML::Node pod = manifests["Deployment"]["spec"]["template"];
  for (const auto& label : service["spec"]["selector"]) {
    EXPECT_EQ(pod["metadata"]["labels"][label.first.as<std::string>()].as<std::string>(),
              label.second.as<std::string>());
  }
  EXPECT_EQ(service["spec"]["ports"][0]["name"].as<std::string>(), "metrics");
  EXPECT_EQ(service["spec"]["ports"][0]["targetPort"].as<std::string>(),
            pod["spec"]["containers"][0]["ports"][0]["name"].as<std::string>());
  EXPECT_EQ(service["spec"]["clusterIP"].as<std::string>(), "None");  // each pod on its own
}

TEST(DeployManifestsTest, TheRoleGrantsOnlyWhatIsUsed) {
  const YAML::Node rules = ManifestsByKind()["Role"]["rules"];
  std::map<std::string, std::set<std::string>> granted;  // "group/resource" -> verbs
  for (const YAML::Node& rule : rules) {
    for (const std::string& group : Strings(rule["apiGroups"])) {
      for (const std::string& resource : Strings(rule["resources"])) {
        for (const std::string& verb : Strings(rule["verbs"]))
          granted[group + "/" + resource].insert(verb);
      }
    }
  }
  EXPECT_EQ(granted, (std::map<std::string, std::set<std::string>>{
                         {"/events", {"list", "watch"}},
                         {"argoproj.io/workflows", {"get", "list", "watch"}}}));
}

TEST(DeployManifestsTest, TheBindingTiesTheRoleToTheDeploymentsServiceAccount) {
  auto manifests = ManifestsByKind();
  const YAML::Node binding = manifests["RoleBinding"];
  EXPECT_EQ(binding["roleRef"]["name"].as<std::string>(),
            manifests["Role"]["metadata"]["name"].as<std::string>());
  const std::string account = manifests["ServiceAccount"]["metadata"]["name"].as<std::string>();
  EXPECT_EQ(binding["subjects"][0]["name"].as<std::string>(), account);
  EXPECT_EQ(
      manifests["Deployment"]["spec"]["template"]["spec"]["serviceAccountName"].as<std::string>(),
      account);
}

TEST(DeployManifestsTest, TheDeploymentRunsAsNonRootOnAReadOnlyRootFilesystem) {
  const YAML::Node pod = ManifestsByKind()["Deployment"]["spec"]["template"]["spec"];
  EXPECT_TRUE(pod["securityContext"]["runAsNonRoot"].as<bool>());
  EXPECT_NE(pod["securityContext"]["runAsUser"].as<int>(), 0);
  const YAML::Node container = pod["containers"][0];
  EXPECT_TRUE(container["securityContext"]["readOnlyRootFilesystem"].as<bool>());
  EXPECT_FALSE(container["securityContext"]["allowPrivilegeEscalation"].as<bool>());
  EXPECT_THAT(Strings(container["securityContext"]["capabilities"]["drop"]), ElementsAre("ALL"));
  EXPECT_EQ(container["env"][0]["name"].as<std::string>(), "POD_NAMESPACE");
  EXPECT_EQ(container["env"][0]["valueFrom"]["fieldRef"]["fieldPath"].as<std::string>(),
            "metadata.namespace");
  EXPECT_EQ(container["volumeMounts"][0]["mountPath"].as<std::string>(), "/subscribers");
}

TEST(DeployManifestsTest, TheStateDirIsAWritableVolumeTheClaimProvides) {
  auto manifests = ManifestsByKind();
  const YAML::Node pod = manifests["Deployment"]["spec"]["template"]["spec"];
  const YAML::Node container = pod["containers"][0];
  std::vector<std::string> args;
  for (const YAML::Node& arg : container["args"]) args.push_back(arg.as<std::string>());
  const auto flag = std::find(args.begin(), args.end(), "--state-dir");
  ASSERT_NE(flag, args.end());
  ASSERT_NE(flag + 1, args.end());
  bool mounted = false;
  for (const YAML::Node& mount : container["volumeMounts"]) {
    if (mount["mountPath"].as<std::string>() != *(flag + 1)) continue;
    mounted = true;
    EXPECT_FALSE(mount["readOnly"] && mount["readOnly"].as<bool>());
    for (const YAML::Node& volume : pod["volumes"]) {
      if (volume["name"].as<std::string>() != mount["name"].as<std::string>()) continue;
      EXPECT_EQ(volume["persistentVolumeClaim"]["claimName"].as<std::string>(),
                manifests["PersistentVolumeClaim"]["metadata"]["name"].as<std::string>());
    }
  }
  EXPECT_TRUE(mounted) << "nothing is mounted at " << *(flag + 1);
  EXPECT_EQ(pod["securityContext"]["fsGroup"].as<int>(),
            pod["securityContext"]["runAsGroup"].as<int>());
}

TEST(DeployManifestsTest, TheMountedSubscribersPassValidation) {
  auto manifests = ManifestsByKind();
  const YAML::Node volume = manifests["Deployment"]["spec"]["template"]["spec"]["volumes"][0];
  EXPECT_EQ(volume["configMap"]["name"].as<std::string>(),
            manifests["ConfigMap"]["metadata"]["name"].as<std::string>());
  testing::TempDir dir;
  for (const auto& entry : manifests["ConfigMap"]["data"]) {
    dir.Write(entry.first.as<std::string>(), entry.second.as<std::string>());
  }
  const testing::ProcessResult result = testing::RunProcess(
      {KFP_EVENTD_BINARY, "validate", "--subscribers-dir", dir.path().string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("valid: 1 subscriber"));
}

TEST(DeployManifestsTest, TheDeploymentIsProbedOnTheMetricsPort) {
  const YAML::Node container =
      ManifestsByKind()["Deployment"]["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(container["ports"][0]["containerPort"].as<int>(), 9090);  // --metrics-address' default
  EXPECT_EQ(container["livenessProbe"]["httpGet"]["path"].as<std::string>(), "/healthz");
  EXPECT_EQ(container["readinessProbe"]["httpGet"]["path"].as<std::string>(), "/readyz");
  // Explicit timeouts and thresholds: one slow answer never restarts the pod.
  for (const char* probe : {"livenessProbe", "readinessProbe"}) {
    EXPECT_GE(container[probe]["timeoutSeconds"].as<int>(), 2) << probe;
    EXPECT_GE(container[probe]["failureThreshold"].as<int>(), 3) << probe;
  }
}

// deploy/kubernetes-ha as kustomize builds it from the base. This applies the two kinds of
// patch the overlay uses ($patch: delete, and a JSON 6902 `add` to a Role's rules) and refuses
// anything else, so a new kind of patch needs this test to learn it. (`kubectl kustomize
// deploy/kubernetes-ha` renders the same; kubectl is not a dependency of the tests.)
std::map<std::string, YAML::Node> HaManifestsByKind() {
  std::map<std::string, YAML::Node> by_kind = ManifestsByKind();
  const fs::path overlay = kDeployDir / "kubernetes-ha";
  const YAML::Node kustomization = YAML::LoadFile((overlay / "kustomization.yaml").string());
  for (const YAML::Node& resource : kustomization["resources"]) {
    if (resource.as<std::string>() == "../kubernetes") continue;
    const YAML::Node document = YAML::LoadFile((overlay / resource.as<std::string>()).string());
    by_kind[document["kind"].as<std::string>()] = document;
  }
  for (const YAML::Node& patch : kustomization["patches"]) {
    const YAML::Node body = YAML::LoadFile((overlay / patch["path"].as<std::string>()).string());
    if (body.IsMap() && body["$patch"] && body["$patch"].as<std::string>() == "delete") {
      EXPECT_EQ(by_kind.erase(body["kind"].as<std::string>()), 1U) << patch["path"];
      continue;
    }
    EXPECT_EQ(patch["target"]["kind"].as<std::string>(), "Role");
    for (const YAML::Node& operation : body) {
      EXPECT_EQ(operation["op"].as<std::string>(), "add");
      EXPECT_EQ(operation["path"].as<std::string>(), "/rules/-");
      by_kind["Role"]["rules"].push_back(operation["value"]);
    }
  }
  return by_kind;
}

TEST(DeployManifestsTest, TheHaVariantRunsTwoElectingReplicasWithLeaseRights) {
  std::map<std::string, YAML::Node> manifests = HaManifestsByKind();
  std::set<std::string> kinds;
  for (const auto& [kind, document] : manifests) kinds.insert(kind);
  EXPECT_THAT(kinds, UnorderedElementsAre("ServiceAccount", "Role", "RoleBinding", "ConfigMap",
                                          "Service", "StatefulSet"));
  // The overlay's own resources need the namespace too: the base's applies to the base's only.
  const YAML::Node kustomization =
      YAML::LoadFile((kDeployDir / "kubernetes-ha/kustomization.yaml").string());
  const YAML::Node base = YAML::LoadFile((kDeployDir / "kubernetes/kustomization.yaml").string());
  EXPECT_EQ(kustomization["namespace"].as<std::string>(), base["namespace"].as<std::string>());
  // The StatefulSet's serviceName is the (headless) Service shipped beside it.
  EXPECT_EQ(manifests["StatefulSet"]["spec"]["serviceName"].as<std::string>(),
            manifests["Service"]["metadata"]["name"].as<std::string>());
  EXPECT_EQ(manifests["Service"]["spec"]["clusterIP"].as<std::string>(), "None");
  std::map<std::string, std::set<std::string>> granted;
  for (const YAML::Node& rule : manifests["Role"]["rules"]) {
    for (const std::string& group : Strings(rule["apiGroups"])) {
      for (const std::string& resource : Strings(rule["resources"])) {
        for (const std::string& verb : Strings(rule["verbs"])) {
          granted[group + "/" + resource].insert(verb);
        }
      }
    }
  }
  EXPECT_EQ(granted, (std::map<std::string, std::set<std::string>>{
                         {"/events", {"list", "watch"}},
                         {"argoproj.io/workflows", {"get", "list", "watch"}},
                         {"coordination.k8s.io/leases", {"get", "create", "update"}}}));

  const YAML::Node set = manifests["StatefulSet"];
  EXPECT_GE(set["spec"]["replicas"].as<int>(), 2);
  const YAML::Node pod = set["spec"]["template"]["spec"];
  EXPECT_EQ(pod["serviceAccountName"].as<std::string>(),
            manifests["ServiceAccount"]["metadata"]["name"].as<std::string>());
  const YAML::Node container = pod["containers"][0];
  std::vector<std::string> args;
  for (const YAML::Node& arg : container["args"]) args.push_back(arg.as<std::string>());
  EXPECT_THAT(args, ::testing::Contains("--leader-elect"));
  std::map<std::string, std::string> env;
  for (const YAML::Node& variable : container["env"]) {
    env[variable["name"].as<std::string>()] =
        variable["valueFrom"]["fieldRef"]["fieldPath"].as<std::string>();
  }
  EXPECT_EQ(env["POD_NAME"], "metadata.name");  // the identity in the Lease
  EXPECT_EQ(env["POD_NAMESPACE"], "metadata.namespace");
  EXPECT_EQ(container["readinessProbe"]["httpGet"]["path"].as<std::string>(), "/readyz");
  // The state dir comes from a claim per replica.
  const auto flag = std::find(args.begin(), args.end(), "--state-dir");
  ASSERT_NE(flag, args.end());
  bool mounted = false;
  for (const YAML::Node& mount : container["volumeMounts"]) {
    if (mount["mountPath"].as<std::string>() != *(flag + 1)) continue;
    mounted = true;
    EXPECT_EQ(mount["name"].as<std::string>(),
              set["spec"]["volumeClaimTemplates"][0]["metadata"]["name"].as<std::string>());
  }
  EXPECT_TRUE(mounted);
  EXPECT_TRUE(container["securityContext"]["readOnlyRootFilesystem"].as<bool>());
}

TEST(DeployManifestsTest, TheImageRunsAsTheDeploymentsUser) {
  std::ifstream dockerfile(kDeployDir.parent_path() / "Dockerfile");
  std::string text((std::istreambuf_iterator<char>(dockerfile)), {});
  const YAML::Node pod = ManifestsByKind()["Deployment"]["spec"]["template"]["spec"];
  const std::string user = std::to_string(pod["securityContext"]["runAsUser"].as<int>());
  EXPECT_THAT(text, HasSubstr("USER " + user + ":" + user));
  EXPECT_THAT(text, HasSubstr("ENTRYPOINT [\"/usr/local/bin/kfp-eventd\"]"));
}

// The metric names a PromQL text uses, histogram series folded onto their metric.
std::set<std::string> MetricsIn(const std::string& promql) {
  static const std::regex kName(R"(kfp_eventd_[a-z_]+)");
  std::set<std::string> names;
  for (std::sregex_iterator it(promql.begin(), promql.end(), kName), end; it != end; ++it) {
    std::string name = it->str();
    for (const char* suffix : {"_bucket", "_count", "_sum"}) {
      const std::string s(suffix);
      if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
        name.erase(name.size() - s.size());
      }
    }
    names.insert(name);
  }
  return names;
}

// Every metric docs/OPERATIONS.md documents (its docs test keeps the table true to the code).
std::set<std::string> DocumentedMetrics() {
  std::ifstream docs(fs::path(KFPEVENTS_DOCS_DIR) / "OPERATIONS.md");
  std::set<std::string> names;
  static const std::regex kRow(R"(^\| `(kfp_eventd_[a-z_]+)` \|)");
  std::smatch match;
  for (std::string line; std::getline(docs, line);) {
    if (std::regex_search(line, match, kRow)) names.insert(match[1].str());
  }
  return names;
}

// deploy/monitoring: the ServiceMonitor scrapes the Service, the alerts are rules Prometheus
// accepts (promtool), and the alerts and the dashboard ask only for metrics kfp-eventd has.
TEST(DeployMonitoringTest, ScrapesTheServiceAlertsAndChartsRealMetrics) {
  const fs::path dir = kDeployDir / "monitoring";
  const YAML::Node kustomization = YAML::LoadFile((dir / "kustomization.yaml").string());
  std::map<std::string, YAML::Node> by_kind;
  for (const YAML::Node& resource : kustomization["resources"]) {
    const YAML::Node document = YAML::LoadFile((dir / resource.as<std::string>()).string());
    by_kind[document["kind"].as<std::string>()] = document;
  }
  const YAML::Node service = ManifestsByKind()["Service"];
  const YAML::Node monitor = by_kind["ServiceMonitor"];
  for (const auto& label : monitor["spec"]["selector"]["matchLabels"]) {
    EXPECT_EQ(service["metadata"]["labels"][label.first.as<std::string>()].as<std::string>(),
              label.second.as<std::string>());
  }
  EXPECT_EQ(monitor["spec"]["endpoints"][0]["port"].as<std::string>(),
            service["spec"]["ports"][0]["name"].as<std::string>());

  const std::set<std::string> documented = DocumentedMetrics();
  ASSERT_GT(documented.size(), 10u);
  std::set<std::string> alerted;
  testing::TempDir temp;
  YAML::Emitter rules;
  rules << YAML::BeginMap << YAML::Key << "groups" << YAML::Value
        << by_kind["PrometheusRule"]["spec"]["groups"] << YAML::EndMap;
  const std::string file = temp.Write("rules.yaml", rules.c_str());
  const testing::ProcessResult checked = testing::RunProcess({PROMTOOL, "check", "rules", file});
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
  for (const YAML::Node& group : by_kind["PrometheusRule"]["spec"]["groups"]) {
    for (const YAML::Node& rule : group["rules"]) {
      for (const std::string& name : MetricsIn(rule["expr"].as<std::string>())) {
        EXPECT_EQ(documented.count(name), 1u) << rule["alert"] << ": " << name;
        alerted.insert(name);
      }
    }
  }
  // The alerts docs/OPERATIONS.md recommends are all there.
  for (const char* name : {"kfp_eventd_dead_letters_total", "kfp_eventd_outbox_depth",
                           "kfp_eventd_leader", "kfp_eventd_config_last_reload_successful"}) {
    EXPECT_EQ(alerted.count(name), 1u) << name;
  }

  // The dashboard, as the configMapGenerator ships it.
  const std::string dashboard_file =
      kustomization["configMapGenerator"][0]["files"][0].as<std::string>();
  const YAML::Node dashboard =
      YAML::LoadFile((dir / dashboard_file.substr(dashboard_file.find('=') + 1)).string());
  ASSERT_TRUE(dashboard["panels"].IsSequence());
  std::size_t targets = 0;
  for (const YAML::Node& panel : dashboard["panels"]) {
    for (const YAML::Node& target : panel["targets"]) {
      ++targets;
      const std::set<std::string> used = MetricsIn(target["expr"].as<std::string>());
      EXPECT_FALSE(used.empty()) << panel["title"];
      for (const std::string& name : used) EXPECT_EQ(documented.count(name), 1u) << name;
    }
  }
  EXPECT_GE(targets, 8u);
}

}  // namespace
}  // namespace kfpevents
