/* The binary interface of kfp-eventd subscriber plugins (Tier 2): a shared object loaded with
 * `type: plugin` and `path:` in the configuration.
 *
 * A plugin exports one C function, kfp_eventd_plugin(), returning a table of functions. The
 * table only grows: a new function is appended and the minor version goes up, so a plugin built
 * against an older minor keeps loading. The loader refuses a table whose major version differs
 * from its own, whose minor is newer than its own, or that lacks a function.
 *
 * C only, no C++ types cross this boundary: write the plugin in any language that can export C
 * functions. C++ authors use kfpevents/plugin_sdk.hpp, which fills the table from a class. */
#ifndef KFPEVENTS_PLUGIN_ABI_H_
#define KFPEVENTS_PLUGIN_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KFP_EVENTD_PLUGIN_ABI_MAJOR 1u
#define KFP_EVENTD_PLUGIN_ABI_MINOR 0u
#define KFP_EVENTD_PLUGIN_ENTRY_POINT "kfp_eventd_plugin"

/* One header of a message. */
typedef struct kfp_eventd_header {
  const char* name;
  const char* value;
} kfp_eventd_header;

/* One message to deliver. Valid only during the deliver call. Strings are NUL-terminated; the
 * body may also contain NULs, so use body_size. */
typedef struct kfp_eventd_message {
  size_t struct_size; /* sizeof(kfp_eventd_message) of the loader: fields may be appended */
  const char* id;     /* stable per transition: the same on every retry and restart */
  const char* body;
  size_t body_size;
  const char* content_type;
  const kfp_eventd_header* headers;
  size_t header_count;
  const char* destination; /* "" unless the message names its own destination */
} kfp_eventd_message;

typedef enum kfp_eventd_outcome {
  KFP_EVENTD_DELIVERED = 0, /* the destination has it */
  KFP_EVENTD_RETRYABLE = 1, /* try again later, following the retry schedule */
  KFP_EVENTD_PERMANENT = 2  /* retrying cannot help: dead-letter it */
} kfp_eventd_outcome;

typedef struct kfp_eventd_plugin_api {
  uint32_t abi_major; /* KFP_EVENTD_PLUGIN_ABI_MAJOR the plugin was built with */
  uint32_t abi_minor; /* KFP_EVENTD_PLUGIN_ABI_MINOR the plugin was built with */
  const char* name;   /* for log lines, e.g. "file-sink" */

  /* -- ABI 1.0 -- */
  /* Creates an instance from the subscriber's `settings:` as a JSON object. On failure returns
   * NULL and writes a NUL-terminated reason (no secrets) into error[0..error_size). */
  void* (*create)(const char* settings_json, char* error, size_t error_size);
  /* Delivers one message, once (retries are the daemon's). Called from one thread per
   * instance, never concurrently. Returns a kfp_eventd_outcome. */
  int (*deliver)(void* instance, const kfp_eventd_message* message);
  /* Why the last deliver failed, NUL-terminated, valid until the next call on the instance;
   * NULL or "" when unknown. */
  const char* (*last_error)(void* instance);
  /* No deliver follows: flush and stop background work. */
  void (*shutdown)(void* instance);
  /* Frees the instance. */
  void (*destroy)(void* instance);
  /* -- appended in later minor versions go here -- */
} kfp_eventd_plugin_api;

/* The entry point every plugin exports; the table must stay valid while the plugin is loaded. */
typedef const kfp_eventd_plugin_api* (*kfp_eventd_plugin_entry)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KFPEVENTS_PLUGIN_ABI_H_ */
