// Static checks of a script without running it: globals read that the
// sandbox does not have and the file does not define, and globals written
// inside functions (an error at run time). Works on the compiled bytecode,
// so it sees exactly what the VM will do.
#pragma once

#include <string>
#include <vector>

#include "script/lua_sandbox.hpp"

namespace till::script {

struct LintFinding {
    std::string file;
    int line = 0;
    std::string message;  ///< "undefined global 'pritn'"
    std::string to_string() const { return file + ":" + std::to_string(line) + ": " + message; }
};

/// `allowed` are the sandbox's globals (LuaSandbox::global_names()). A
/// syntax error is returned as a single finding.
std::vector<LintFinding> lint_script(const ScriptSource& source, const std::vector<std::string>& allowed);

}  // namespace till::script
