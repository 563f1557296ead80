# Conan recipe for consumers of libkfpevents. Untested in CI: conan is not installable on the
# machines this project builds on. It mirrors the CMake options and names the CMake package and
# target as the CMake build exports them (find_package(kfpevents) -> kfpevents::kfpevents).
import os

from conan import ConanFile
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy
from conan.tools.gnu import PkgConfigDeps


class KfpeventsConan(ConanFile):
    name = "kfpevents"
    version = "0.1.0"
    license = "Apache-2.0"
    description = "Kubeflow Pipelines / Argo Workflows events turned into reliable notifications"
    settings = "os", "compiler", "build_type", "arch"
    options = {"shared": [True, False], "fPIC": [True, False]}
    default_options = {"shared": False, "fPIC": True}
    # What cmake/KfpeventsDependencies.cmake finds, as ConanCenter names it.
    requires = ("libcurl/[>=7.88]", "openssl/[>=3.0]", "rapidjson/cci.20230929",
                "yaml-cpp/[>=0.7]", "sqlite3/[>=3.40]", "simdjson/[>=3.0]", "zlib/[>=1.2.11]",
                "cpp-httplib/[>=0.11]", "cnats/[>=3.3]", "kainjow-mustache/[>=4.1]")

    def export_sources(self):
        # The recipe lives in conan/; the sources are one level up.
        root = os.path.join(self.recipe_folder, "..")
        for pattern in ("CMakeLists.txt", "cmake/*", "include/*", "lib/*"):
            copy(self, pattern, root, self.export_sources_folder)

    def layout(self):
        cmake_layout(self)

    def generate(self):
        # find_package() for most; pkg-config for cpp-httplib and the NATS client, which the
        # CMake build looks up as Debian ships them (cpp-httplib.pc, libnats.pc).
        CMakeDeps(self).generate()
        pkg_config = PkgConfigDeps(self)
        pkg_config.set_property("cpp-httplib", "pkg_config_name", "cpp-httplib")
        pkg_config.set_property("cnats", "pkg_config_name", "libnats")
        pkg_config.generate()
        toolchain = CMakeToolchain(self)
        toolchain.variables["KFPEVENTS_BUILD_CLI"] = False
        toolchain.variables["KFPEVENTS_BUILD_TESTS"] = False
        toolchain.variables["KFPEVENTS_BUILD_EXAMPLES"] = False
        toolchain.generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        CMake(self).install()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "kfpevents")
        self.cpp_info.set_property("cmake_target_name", "kfpevents::kfpevents")
        self.cpp_info.libs = ["kfpevents"]
        if not self.options.shared:
            self.cpp_info.defines = ["KFPEVENTS_STATIC_DEFINE"]
            self.cpp_info.system_libs = ["dl", "pthread"]  # plugins (dlopen), threads
