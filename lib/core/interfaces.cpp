// Out-of-line destructors anchor each interface's vtable in the library.
#include "kfpevents/event_source.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/message_formatter.hpp"
#include "kfpevents/subscriber.hpp"
#include "kfpevents/workflow_resolver.hpp"

namespace kfpevents {

EventSource::~EventSource() = default;
WorkflowResolver::~WorkflowResolver() = default;
MessageFormatter::~MessageFormatter() = default;
Subscriber::~Subscriber() = default;
Logger::~Logger() = default;

}  // namespace kfpevents
