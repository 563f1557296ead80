// MessageFormatter: a notification -> the bytes, content type and headers a subscriber sends.
#pragma once

#include "kfpevents/export.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/types.hpp"

namespace kfpevents {

class KFPEVENTS_EXPORT MessageFormatter {
 public:
  MessageFormatter() = default;
  MessageFormatter(const MessageFormatter&) = delete;
  MessageFormatter& operator=(const MessageFormatter&) = delete;
  virtual ~MessageFormatter();

  // Formats one notification. The returned Message's id is MessageIdForKey(notification.key).
  // Must be a pure function of its argument: no I/O, no blocking.
  // kNotFound means "nothing to send for this one" (e.g. a workflow without a callback): the
  // notification counts as filtered for the subscription. Any other error is reported.
  //
  // Threading: one formatter may serve several subscriptions, so Format may be called from
  // several threads at once; implementations keep no mutable state (const).
  // `notification` is valid for the duration of the call only.
  virtual Result<Message> Format(const Notification& notification) const = 0;
};

}  // namespace kfpevents
