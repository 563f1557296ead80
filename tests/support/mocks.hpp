// GoogleMock doubles of the four public interfaces, and small fakes built on them.
#pragma once

#include <gmock/gmock.h>

#include <deque>

#include "kfpevents/event_source.hpp"
#include "kfpevents/message_formatter.hpp"
#include "kfpevents/subscriber.hpp"
#include "kfpevents/workflow_resolver.hpp"

namespace kfpevents::testing {

class MockEventSource : public EventSource {
 public:
  MOCK_METHOD(Result<std::optional<WorkflowEvent>>, Next, (std::stop_token), (override));
};

class MockWorkflowResolver : public WorkflowResolver {
 public:
  MOCK_METHOD(Result<SharedWorkflowInfo>, Resolve, (const WorkflowRef&, std::stop_token),
              (override));
};

class MockMessageFormatter : public MessageFormatter {
 public:
  MOCK_METHOD(Result<Message>, Format, (const Notification&), (const, override));
};

class MockSubscriber : public Subscriber {
 public:
  MOCK_METHOD(DeliveryResult, Deliver, (const Message&, std::stop_token), (override));
};

// Hands out a fixed list of events, then reports the end of the stream.
class VectorEventSource : public EventSource {
 public:
  explicit VectorEventSource(std::vector<WorkflowEvent> events)
      : events_(events.begin(), events.end()) {}
  Result<std::optional<WorkflowEvent>> Next(std::stop_token) override {
    if (events_.empty()) return std::optional<WorkflowEvent>();
    WorkflowEvent event = events_.front();
    events_.pop_front();
    return std::optional<WorkflowEvent>(std::move(event));
  }

 private:
  std::deque<WorkflowEvent> events_;
};

// A workflow-level event about workflow `name` in namespace "kubeflow".
inline WorkflowEvent MakeEvent(const std::string& name, const std::string& reason,
                               const std::string& message = "") {
  WorkflowEvent event;
  event.namespace_name = "kubeflow";
  event.name = name + ".event";
  event.reason = reason;
  event.message = message;
  event.involved_object = {"Workflow", "kubeflow", name, name + "-uid"};
  return event;
}

}  // namespace kfpevents::testing
