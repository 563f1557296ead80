// Everything public in one include.
#pragma once

#include "kfpevents/argo.hpp"
#include "kfpevents/config.hpp"
#include "kfpevents/event_source.hpp"
#include "kfpevents/formatters.hpp"
#include "kfpevents/kube.hpp"
#include "kfpevents/logger.hpp"
#include "kfpevents/message_formatter.hpp"
#include "kfpevents/pipeline.hpp"
#include "kfpevents/replay.hpp"
#include "kfpevents/status.hpp"
#include "kfpevents/subscriber.hpp"
#include "kfpevents/subscribers.hpp"
#include "kfpevents/transition.hpp"
#include "kfpevents/types.hpp"
#include "kfpevents/version.hpp"
#include "kfpevents/workflow_resolver.hpp"
