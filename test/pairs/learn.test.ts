import { describe, expect, it } from 'vitest';
import { hasReleaseVerb, qualifiedPrefixes, releaseCandidates, releaseSynonyms, stemRelease, variantFamilies } from '../../src/pairs/learn/morphology.js';
import { checksForItself, fileEvidence, pairedFunctions } from '../../src/pairs/learn/evidence.js';
import { LearnedPairs, addEvidence, emptyLearnedData, isDisposer } from '../../src/pairs/learn/learned.js';
import { PairTable, builtinPairData } from '../../src/pairs/table.js';
import { modelOf } from '../cmodel/helpers.js';

const never = () => false;

describe('name morphology', () => {
  it('proposes the release verb in place of the acquire verb, anywhere in the name, with and without the words after it', () => {
    expect(releaseCandidates('fx_region_add_subregion')).toContain('fx_region_del_subregion');
    expect(releaseCandidates('fx_timer_new_ns')).toEqual(expect.arrayContaining(['fx_timer_free_ns', 'fx_timer_free']));
    expect(releaseCandidates('fx_new0')).toContain('fx_free');
    expect(releaseCandidates('mmap')).toContain('munmap');
    expect(releaseCandidates('fx_mutex_lock')).toContain('fx_mutex_unlock');
    expect(releaseCandidates('fx_vector_use')).toContain('fx_vector_unuse');
    // a transfer started is ended (`fx_bus_start_transfer` / `fx_bus_end_transfer`), as a stream started is stopped
    expect(releaseCandidates('fx_bus_start_transfer')).toEqual(expect.arrayContaining(['fx_bus_end_transfer', 'fx_bus_stop_transfer']));
    // what is got is released as well as put (`fx_get_indicator` / `fx_release_indicator`)
    expect(releaseCandidates('fx_get_indicator')).toEqual(expect.arrayContaining(['fx_put_indicator', 'fx_release_indicator']));
  });

  it('reads a one-word name whose verb is glued to a noun (`opendir` / `closedir`), not an inflected verb', () => {
    expect(releaseCandidates('opendir')).toContain('closedir');
    expect(releaseCandidates('openlog')).toContain('closelog');
    expect(hasReleaseVerb('closedir')).toBe(true);
    // an inflection or a short ending is no noun: `closing`, `closest`, `opened`
    expect(hasReleaseVerb('closing')).toBe(false);
    expect(hasReleaseVerb('closest')).toBe(false);
    expect(releaseCandidates('opened')).toEqual([]);
    // names of several words keep their words apart
    expect(releaseCandidates('fx_opendir')).not.toContain('fx_closedir');
  });

  it('reads a library\'s camelCase words by their verbs, keeping the name\'s casing', () => {
    expect(releaseCandidates('fxlib__openSession')).toContain('fxlib__closeSession');
    expect(releaseCandidates('fxCreateContext')).toEqual(expect.arrayContaining(['fxDestroyContext', 'fxDestroy']));
    expect(releaseCandidates('FX_CreateWindow')).toContain('FX_DestroyWindow');
    expect(hasReleaseVerb('fxlib__closeSession')).toBe(true);
    expect(hasReleaseVerb('fxDestroyContext')).toBe(true);
    // a release verb is no acquire, and a word that only holds a verb's letters is no verb
    expect(releaseCandidates('fxlib__closeSession')).toEqual([]);
    expect(hasReleaseVerb('fxlibFillBuffer')).toBe(false);
  });

  it('proposes nothing for a release verb, and keeps what a getter gets', () => {
    expect(releaseCandidates('fx_dma_unmap')).toEqual([]);
    expect(releaseCandidates('fx_obj_unref')).toEqual([]);
    expect(releaseCandidates('fx_region_get_ram_ptr')).not.toContain('fx_region_put');
    expect(releaseCandidates('fx_region_get_ram_ptr')).toContain('fx_region_put_ram_ptr');
  });

  it('proposes nothing for a name that does both (an acquire verb and its own release verb)', () => {
    expect(releaseCandidates('fx_notify_map_unmap')).toEqual([]);
    expect(releaseSynonyms('fx_notify_map_unmap')).toEqual([]);
    expect(releaseCandidates('fx_notify_map')).toContain('fx_notify_unmap');
    // nor is it a variant of the acquire it starts with
    expect(variantFamilies('fx_notify_map_unmap')).toEqual([]);
    expect(variantFamilies('fx_timer_new_ns')).toEqual(['fx_timer_new']);
  });

  it('tells release verbs', () => {
    expect(hasReleaseVerb('fx_buf_free')).toBe(true);
    expect(hasReleaseVerb('munmap')).toBe(true);
    expect(hasReleaseVerb('fx_buf_fill')).toBe(false);
  });

  it('reads a verb after a short prefix, never in an ordinary word that ends in one', () => {
    expect(hasReleaseVerb('fx_fclose')).toBe(true);
    expect(hasReleaseVerb('fx_fput')).toBe(true);
    // s + end, in + put, co + dec, mo + del are no releases
    expect(hasReleaseVerb('fx_msg_send')).toBe(false);
    expect(hasReleaseVerb('fx_input_handler_activate')).toBe(false);
    expect(hasReleaseVerb('fx_codec_reset')).toBe(false);
    expect(hasReleaseVerb('fx_model_name')).toBe(false);
    // nor is b + lock an acquire: a name with an ordinary word still pairs by its real verb
    expect(releaseCandidates('fx_block_job_new')).not.toContain('fx_bunlock_job_new');
    expect(releaseCandidates('fx_input_visitor_new')).toContain('fx_input_visitor_free');
  });

  it('reads past tenses as slot events and predicates as no acquire or release', () => {
    expect(releaseCandidates('fx_block_added')).toContain('fx_block_removed');
    expect(releaseCandidates('fx_is_range_plugged')).toEqual([]);
    expect(releaseSynonyms('fx_is_range_plugged')).toEqual([]);
    expect(hasReleaseVerb('fx_is_range_unplugged')).toBe(false);
  });

  it('proposes a stem with other release verbs for calls only, never a getter stem', () => {
    expect(releaseSynonyms('fx_tree_map_alloc')).toContain('fx_tree_remove');
    expect(releaseCandidates('fx_tree_map_alloc')).not.toContain('fx_tree_remove');
    expect(releaseSynonyms('fx_tree_get_range')).not.toContain('fx_tree_remove');
  });

  it('pairs watch with unwatch', () => {
    expect(releaseCandidates('fx_node_watch')).toContain('fx_node_unwatch');
  });

  it('pairs pause, suspend and freeze with the calls that let go again', () => {
    expect(releaseCandidates('fx_dma_pause')).toContain('fx_dma_resume');
    expect(releaseCandidates('fx_vcpu_suspend')).toContain('fx_vcpu_resume');
    expect(releaseCandidates('fx_fs_freeze')).toContain('fx_fs_thaw');
    expect(hasReleaseVerb('fx_dma_resume')).toBe(true);
  });

  it('reads an attempt at a verb as the verb: `trylock` is undone by `unlock`', () => {
    expect(releaseCandidates('fx_mutex_trylock')).toContain('fx_mutex_unlock');
  });

  it('proposes for a one-word name with a short prefix before its glued verb the plain release', () => {
    expect(releaseCandidates('fdopendir')).toContain('closedir');
    expect(releaseCandidates('opendir')).toContain('closedir');
    // (nor for a word too short to hold a verb and a noun after the prefix: `fdopen` is libc's stream of a descriptor)
    expect(releaseCandidates('fdopen')).not.toContain('close');
  });

  it('proposes for calls the undo of the shorter name a qualified name extends, also when the verb leads it', () => {
    expect(releaseSynonyms('register_fx_handlers_live')).toContain('unregister_fx_handlers');
    expect(releaseSynonyms('fx_add_blocker_normal')).toContain('fx_del_blocker');
    expect(releaseCandidates('register_fx_handlers_live')).not.toContain('unregister_fx_handlers');
    expect(qualifiedPrefixes('register_fx_handlers_live')).toEqual([]);
    expect(qualifiedPrefixes('register_fx_handlers_live', true)).toEqual(['register_fx_handlers', 'register_fx']);
    // (the verb alone is no name to undo; words that are another action qualify nothing)
    expect(qualifiedPrefixes('register_fx', true)).toEqual([]);
    expect(qualifiedPrefixes('register_fx_start', true)).toEqual([]);
  });
});

const DEVICE = `
static void fx_dev_realize(DeviceState *dev, Error **errp)
{
    FxDev *s = FX_DEV(dev);

    s->tick = fx_timer_new_ns(fx_dev_tick, s);
    s->blob = fx_make_blob(s->size);
    s->item = fx_lookup_item(s);
    fx_use_item(s->item);
    fx_chan_open(&s->chan);
    if (fx_chan_start(&s->chan) < 0) {
        fx_chan_close(&s->chan);
        return;
    }
}

static void fx_dev_unrealize(DeviceState *dev)
{
    FxDev *d = FX_DEV(dev);

    fx_timer_free(d->tick);
    fx_blob_free(d->blob);
    fx_item_forget(d->item);
    fx_chan_stop(&d->chan);
}

static void fx_dev_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = fx_dev_realize;
    dc->unrealize = fx_dev_unrealize;
}
`;

describe('stem releases', () => {
  it('a name with the acquire\'s stem and a release verb gives back what it takes, words after the verb or not', () => {
    expect(stemRelease('fx_queue_pop', 'fx_queue_detach_elem')).toBe(true);
    expect(stemRelease('fx_queue_pop', 'fx_queue_push')).toBe(true);
    // another stem, no release verb, or an acquire with no stem before its verb
    expect(stemRelease('fx_queue_pop', 'fx_mem_unplug_request')).toBe(false);
    expect(stemRelease('fx_queue_pop', 'fx_queue_fill')).toBe(false);
    expect(stemRelease('mmap', 'munmap')).toBe(false);
    // a question about state is no acquire
    expect(stemRelease('fx_is_mapped', 'fx_unmap')).toBe(false);
  });
});

describe('releases that check for themselves', () => {
  const SRC = `
void fx_del_blocker(Error **reasonp)
{
    if (*reasonp) {
        fx_blockers = g_slist_remove(fx_blockers, *reasonp);
        error_free(*reasonp);
        *reasonp = NULL;
    }
}

void fx_listener_unregister(FxListener *listener)
{
    if (!listener->space) {
        return;
    }
    fx_listener_del(listener);
    listener->space = NULL;
}

void fx_timer_free(FxTimer *t)
{
    fx_timer_del(t);
    g_free(t);
}

void fx_chan_close(FxChan *c)
{
    fx_chan_flush(c);
    if (!c->fd) {
        return;
    }
    close(c->fd);
}
`;
  it('are functions that do nothing when their first parameter, what it points to, or its recorded state is not there', async () => {
    const model = await modelOf(SRC, 'util/fx.c');
    const safe = model.functions.filter(checksForItself).map((f) => f.name);
    expect(safe).toEqual(['fx_del_blocker', 'fx_listener_unregister']);
  });
  it('are also functions that test a later parameter, or what it points to, but not a field of a later one', async () => {
    const model = await modelOf(`
static void fx_node_unwatch(FxDev *d, FxWatch **watch)
{
    if (*watch) {
        fx_xs_unwatch(d->xsh, *watch);
        *watch = NULL;
    }
}

static void fx_node_stop(FxDev *d, FxNode *n)
{
    if (n->running) {
        fx_node_halt(d, n);
    }
}
`, 'hw/fx/node.c');
    expect(model.functions.filter(checksForItself).map((f) => f.name)).toEqual(['fx_node_unwatch']);
  });
  it('make a learned or listed pair a safe release once the code base shows the definition', async () => {
    const table = new PairTable(builtinPairData());
    expect(table.isSafeRelease('fx_listener_unregister')).toBe(false);
    table.learned.observe(await modelOf(SRC, 'util/fx.c'), new Set());
    expect(table.isSafeRelease('fx_listener_unregister')).toBe(true);
    expect(table.primitiveOrFamily('fx_listener_register', new Set(['fx_listener_unregister']))?.pair.safeRelease).toBe(true);
    expect(table.primitiveOrFamily('fx_timer_new', new Set(['fx_timer_free']))?.pair.safeRelease).toBeUndefined();
  });
});

describe('releases the code base calls as safe', () => {
  // two pairs of start/stop functions: each acquires under a condition and releases always
  const SRC = `
static void fx_a_start(FxA *a)
{
    if (!fx_a_supported(a)) {
        fx_add_guard(&a->guard);
    }
}

static void fx_a_stop(FxA *a)
{
    fx_del_guard(&a->guard);
}

static void fx_b_start(FxB *b)
{
    if (fx_b_ready(b)) {
        return;
    }
    fx_add_guard(&b->guard);
}

static void fx_b_stop(FxB *b)
{
    fx_del_guard(&b->guard);
}
`;
  it('a release made always against a conditional acquire in two paired sites counts as checking for itself; one site does not', async () => {
    const one = new LearnedPairs(undefined, never);
    one.observe(await modelOf(SRC.slice(0, SRC.indexOf('static void fx_b_start')), 'hw/fx/a.c'), new Set());
    expect(one.checksForItself('fx_del_guard')).toBe(false);
    const two = new LearnedPairs(undefined, never);
    two.observe(await modelOf(SRC, 'hw/fx/ab.c'), new Set());
    expect(two.checksForItself('fx_del_guard')).toBe(true);
    // the pair itself is still learned
    expect(two.pairs().map((p) => `${p.acquire}/${p.release}`)).toContain('fx_add_guard/fx_del_guard');
  });

  // realize returns early only on an error; unrealize runs only after a realize that succeeded
  const VALIDATED = `
static void fx_a_realize(DeviceState *dev, Error **errp)
{
    FxA *a = FX_A(dev);

    if (!a->chr) {
        error_setg(errp, "fx-a: chardev is required");
        return;
    }
    a->bh = fx_bh_new(fx_a_bh, a);
}

static void fx_a_unrealize(DeviceState *dev)
{
    FxA *a = FX_A(dev);

    fx_bh_delete(a->bh);
}

static void fx_b_realize(DeviceState *dev, Error **errp)
{
    FxB *b = FX_B(dev);

    if (b->size == 0) {
        error_setg(errp, "fx-b: size must not be zero");
        return;
    }
    b->bh = fx_bh_new(fx_b_bh, b);
}

static void fx_b_unrealize(DeviceState *dev)
{
    FxB *b = FX_B(dev);

    fx_bh_delete(b->bh);
}
`;
  it('an acquire after an error return only is no conditional acquire: its unconditional release is no sign of safety', async () => {
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(VALIDATED, 'hw/fx/ab.c'), new Set());
    expect(learned.pairs().map((p) => `${p.acquire}/${p.release}`)).toContain('fx_bh_new/fx_bh_delete');
    expect(learned.checksForItself('fx_bh_delete')).toBe(false);
    // the same functions skipping the acquire on a plain state test do show it
    const skipping = new LearnedPairs(undefined, never);
    skipping.observe(await modelOf(VALIDATED.replace(/error_setg\(errp, "[^"]*"\);\n\s*/g, ''), 'hw/fx/ab.c'), new Set());
    expect(skipping.checksForItself('fx_bh_delete')).toBe(true);
  });
});

describe('disposers', () => {
  it('are named for disposing of a whole value by their last word, or the last but one before the kind of value, C streams included', () => {
    for (const name of ['close', 'qemu_close', 'fclose', 'qemu_fclose', 'object_unref', 'fx_ctx_destroy', 'fxusb_unref_device', 'fx_destroy_context']) expect(isDisposer(name), name).toBe(true);
    for (const name of ['disclose', 'fx_closed', 'g_free', 'fx_timer_del', 'fx_unref_all', 'fx_close_cb', 'fx_destroy_notify', 'fx_unref_ref_all']) expect(isDisposer(name), name).toBe(false);
  });

  it('include the frees of one kind of value, GLib\'s string vector free too', () => {
    for (const name of ['g_strfreev', 'g_list_free_full', 'qapi_free_FxNodeList', 'fx_table_free']) expect(isDisposer(name), name).toBe(true);
    for (const name of ['free', 'g_free', 'qemu_free', 'fx_freeze']) expect(isDisposer(name), name).toBe(false);
  });

  // a stream whose constructor and closer share no verb: only use shows the pair
  const STREAM = `
static int fx_send_package(FxState *s, QIOChannelBuffer *bioc)
{
    QEMUFile *fb = fx_file_new_output(QIO_CHANNEL(bioc));

    fx_put_header(fb);
    fx_put_state(fb, s);
    qemu_fclose(fb);
    return 0;
}
`;
  it('pair a constructor with a stream closer the same function applies to what it made', async () => {
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(STREAM, 'migration/fx.c'), new Set());
    expect(learned.pairs().map((p) => `${p.acquire}/${p.release}`)).toContain('fx_file_new_output/qemu_fclose');
  });
});

describe('usage evidence of switches', () => {
  // a switch with no object: the state is global, and what it returns says whether it could switch
  const SWITCH = `
static int fx_dm_enable(FxIommu *iommu)
{
    int ret = fx_ram_discard_disable(true);

    if (ret) {
        return ret;
    }
    iommu->dm = true;
    return 0;
}

static void fx_dm_disable(FxIommu *iommu)
{
    iommu->dm = false;
    fx_ram_discard_disable(false);
}
`;
  it('pairs a switch with no object across paired functions, and reads its result as a status, not its object', async () => {
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(SWITCH, 'hw/fx/iommu.c'), new Set());
    const pair = learned.pairs().find((p) => p.acquire === 'fx_ram_discard_disable__true_0_1');
    expect(pair).toMatchObject({ release: 'fx_ram_discard_disable__false_0_1', pairedFunctions: 1 });
  });

  it('pairs a switch whose status is kept with its switch back on an unwind of the same function', async () => {
    const learned = new LearnedPairs(undefined, never);
    const UNWIND = `
static int fx_pin_open(FxPin *s, Error **errp)
{
    int r = fx_ram_discard_disable(true);

    if (r) {
        return r;
    }
    r = fx_pin_init_device(s, errp);
    if (r) {
        fx_ram_discard_disable(false);
        return r;
    }
    return 0;
}
`;
    learned.observe(await modelOf(UNWIND, 'util/fx-pin.c'), new Set());
    const pair = learned.pairs().find((p) => p.acquire === 'fx_ram_discard_disable__true_0_1');
    expect(pair).toMatchObject({ release: 'fx_ram_discard_disable__false_0_1', sameFunction: 1 });
  });
});

describe('usage evidence between unpaired functions of a file', () => {
  const PEER = `
static void fx_agent_peer_register(FxAgent *a)
{
    fx_clipboard_peer_register(&a->peer);
}

static void fx_agent_write(FxAgent *a, uint32_t v)
{
    timer_del(a->poll);
    a->poll = timer_new_ns(QEMU_CLOCK_VIRTUAL, fx_agent_poll, a);
    fx_clipboard_peer_unregister(&a->other_peer);
}

static void fx_agent_disconnect(FxAgent *a)
{
    fx_clipboard_peer_unregister(&a->peer);
}

static void fx_agent_stop(FxAgent *a)
{
    timer_del(a->poll);
}

static void fx_agent_unrealize(DeviceState *dev)
{
    FxAgent *a = FX_AGENT(dev);

    timer_free(a->poll);
}

static void fx_agent_realize(DeviceState *dev, Error **errp)
{
    FxAgent *a = FX_AGENT(dev);

    a->poll = timer_new_ns(QEMU_CLOCK_VIRTUAL, fx_agent_poll, a);
}

static void fx_agent_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = fx_agent_realize;
    dc->unrealize = fx_agent_unrealize;
}
`;
  it('pairs mirror names on the same field when a function named for releasing makes the release', async () => {
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(PEER, 'ui/fx-agent.c'), new Set());
    const pair = learned.pairs().find((p) => p.acquire === 'fx_clipboard_peer_register');
    expect(pair).toMatchObject({ release: 'fx_clipboard_peer_unregister', sameFile: 1, examples: [{ fn: 'fx_agent_peer_register', releaseFn: 'fx_agent_disconnect', kind: 'same-file' }] });
  });

  it('keeps a release shown only that way out where another release of the acquire has evidence of its own', async () => {
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(PEER, 'ui/fx-agent.c'), new Set());
    const releases = learned.pairs().filter((p) => p.acquire === 'timer_new_ns').map((p) => p.release);
    // timer_free by the realize/unrealize pair; the stop function's timer_del is a step, not a release
    expect(releases).toEqual(['timer_free']);
  });
});

describe('usage evidence', () => {
  it('pairs functions by their callback slots and their names', async () => {
    const model = await modelOf(DEVICE, 'hw/fx/dev.c');
    expect(pairedFunctions(model)).toContainEqual(['fx_dev_realize', 'fx_dev_unrealize']);
  });

  it('learns a pair from the release of the same field in the paired function, and from an unwind in the same function', async () => {
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(DEVICE, 'hw/fx/dev.c'), new Set());
    const pairs = learned.pairs().map((p) => `${p.acquire}/${p.release}`);
    // by name and use: new/free on the same field, across realize/unrealize
    expect(pairs).toContain('fx_timer_new_ns/fx_timer_free');
    // by name and use: the unwind in the same function closes what it opened
    expect(pairs).toContain('fx_chan_open/fx_chan_close');
    expect(pairs).toContain('fx_chan_start/fx_chan_stop');
    // by use only: a release-verb call frees the field the other side stored
    expect(pairs).toContain('fx_make_blob/fx_blob_free');
    // a producer and its consumer are no pair, nor a lookup and a call that names no release
    expect(pairs.some((p) => p.startsWith('fx_lookup_item/'))).toBe(false);
    const open = learned.pairs().find((p) => p.acquire === 'fx_chan_open');
    expect(open).toMatchObject({ morphology: true, sameFunction: 1, support: 1, examples: [{ fn: 'fx_dev_realize', kind: 'same-function' }] });
  });

  it('reads an instance handed after a context: undone by a release handed that instance alone, across paired functions and on an unwind', async () => {
    const TREE = `
static void fx_dev_realize(DeviceState *dev, Error **errp)
{
    FxDevice *fdev = FX_DEVICE(dev);
    FxBus *bus = FX_BUS(qdev_get_parent_bus(dev));
    Error *err = NULL;

    fx_create_queues(bus, fdev, &err);
    if (err) {
        error_propagate(errp, err);
        return;
    }
    if (fx_dev_start(fdev) < 0) {
        fx_free_queues(fdev);
        return;
    }
}

static void fx_dev_unrealize(DeviceState *dev)
{
    FxDevice *fdev = FX_DEVICE(dev);

    fx_free_queues(fdev);
}

static void fx_dev_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = fx_dev_realize;
    dc->unrealize = fx_dev_unrealize;
}
`;
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(TREE, 'hw/fx/dev.c'), new Set());
    const pair = learned.pairs().find((p) => p.acquire === 'fx_create_queues');
    expect(pair).toMatchObject({ release: 'fx_free_queues', sameFunction: 1, pairedFunctions: 1 });
    // a release handed the context, not the instance, is not that
    const other = new LearnedPairs(undefined, never);
    other.observe(await modelOf(TREE.replace(/fx_free_queues\(fdev\)/g, 'fx_free_queues(FX_DEVICE(bus->owner))'), 'hw/fx/dev.c'), new Set());
    expect(other.pairs().find((p) => p.acquire === 'fx_create_queues')).toBeUndefined();
  });

  it('reads the object of a call that takes a context first by the field it is handed by address, and never pairs migration stream reads with writes', async () => {
    const TREE = `
static void fx_accel_listen(FxAccel *s, FxListener *l, const char *name)
{
    l->name = name;
}

static int fx_accel_init(FxAccel *s)
{
    fx_listener_register(s, &s->mem_listener, "fx-mem");
    return 0;
}

static void fx_accel_cleanup(FxAccel *s)
{
    fx_listener_unregister(&s->mem_listener);
}

static int fx_accel_get_regs(QEMUFile *f, FxAccel *s)
{
    qemu_get_be32s(f, &s->slots);
    return 0;
}

static void fx_accel_put_regs(QEMUFile *f, FxAccel *s)
{
    qemu_put_be32s(f, &s->slots);
}

static void fx_accel_class_init(ObjectClass *oc, void *data)
{
    FxAccelClass *ac = FX_ACCEL_CLASS(oc);

    ac->init = fx_accel_init;
    ac->cleanup = fx_accel_cleanup;
}
`;
    const table = new PairTable(builtinPairData());
    table.learned.observe(await modelOf(TREE, 'accel/fx/fx-all.c'), new Set());
    const pairs = table.learned.pairs().map((p) => `${p.acquire}/${p.release}`);
    expect(pairs).toContain('fx_listener_register/fx_listener_unregister');
    expect(pairs.some((p) => p.startsWith('qemu_get_'))).toBe(false);
  });

  it('reads a registration keyed by all its arguments across paired functions, and drops a morphology pair the code releases for almost none of its calls', async () => {
    const users = Array.from({ length: 24 }, (_, i) => `static void fx_set_feature_${i}(FxState *s)\n{\n    set_bit(FX_FEATURE_${i}, s->features);\n}\n`).join('\n');
    const TREE = `
static void fx_dev_realize(DeviceState *dev, Error **errp)
{
    FxState *s = FX_DEV(dev);

    qemu_register_reset(fx_dev_reset, s);
    set_bit(FX_FEATURE_BASE, s->features);
}

static void fx_dev_unrealize(DeviceState *dev)
{
    FxState *s = FX_DEV(dev);

    qemu_unregister_reset(fx_dev_reset, s);
    clear_bit(FX_FEATURE_BASE, s->features);
}

static void fx_dev_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = fx_dev_realize;
    dc->unrealize = fx_dev_unrealize;
}

${users}`;
    const table = new PairTable(builtinPairData());
    table.learned.observe(await modelOf(TREE, 'hw/fx/fx-dev.c'), new Set());
    const pairs = table.learned.pairs().map((p) => `${p.acquire}/${p.release}`);
    expect(pairs).toContain('qemu_register_reset/qemu_unregister_reset');
    // 1 of 25 set_bit() calls is ever cleared: a bit of state, not a resource
    expect(pairs).not.toContain('set_bit/clear_bit');
  });

  it('takes a release the code calls before another release of the same acquire, on the same object, for a step (a timer stopped, then freed)', async () => {
    const TREE = `
static void fx_dev_realize(DeviceState *dev, Error **errp)
{
    FxState *s = FX_DEV(dev);

    s->timer = timer_new_ms(QEMU_CLOCK_VIRTUAL, fx_tick, s);
}

static void fx_dev_unrealize(DeviceState *dev)
{
    FxState *s = FX_DEV(dev);

    timer_del(s->timer);
    timer_free(s->timer);
}

static void fx_dev_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = fx_dev_realize;
    dc->unrealize = fx_dev_unrealize;
}
`;
    const table = new PairTable(builtinPairData());
    table.learned.observe(await modelOf(TREE, 'hw/fx/fx-dev.c'), new Set());
    expect(table.learned.precedes('timer_del', 'timer_free')).toBe(true);
    expect(table.learned.pairs().filter((p) => p.acquire === 'timer_new_ms').map((p) => p.release)).toEqual(['timer_free']);
  });

  it('keeps a pair its names propose when only a release the role model pairs with the acquire follows it (the two undo different acquires)', async () => {
    const TREE = `
static void fx_change_msi(FxMachine *m, uint32_t n)
{
    Error *err = NULL;
    int irq;
    int i;

    irq = fx_irq_msi_alloc(m, n, &err);
    if (err) {
        return;
    }
    for (i = 0; i < n; i++) {
        fx_irq_claim(m, irq + i, &err);
        if (err) {
            if (i) {
                fx_irq_free(m, irq, i);
            }
            fx_irq_msi_free(m, irq, n);
            return;
        }
    }
}

static void fx_destroy_msi(gpointer opaque)
{
    FxMsi *msi = opaque;

    fx_irq_msi_free(msi->m, msi->first_irq, msi->num);
    fx_irq_free(msi->m, msi->first_irq, msi->num);
    g_free(msi);
}
`;
    const table = new PairTable(builtinPairData());
    table.learned.observe(await modelOf(TREE, 'hw/fx/fx-msi.c'), new Set());
    // the code frees the MSI block before the interrupts, on the same object: a step, had both been named for the alloc
    expect(table.learned.precedes('fx_irq_msi_free', 'fx_irq_free')).toBe(true);
    expect(table.learned.pairs().filter((p) => p.acquire === 'fx_irq_msi_alloc').map((p) => p.release)).toContain('fx_irq_msi_free');
  });

  it('counts evidence only for the touched functions once a file was read whole', async () => {
    const model = await modelOf(DEVICE, 'hw/fx/dev.c');
    const whole = fileEvidence(model, never);
    const touched = fileEvidence(model, never, new Set(['fx_dev_class_init']));
    expect(Object.keys(whole.pairs).length).toBeGreaterThan(0);
    expect(Object.keys(touched.pairs)).toEqual([]);
  });

  it('feeds the pair table: a learned acquire has its releases as counterparts, and non-resources never pair', async () => {
    const table = new PairTable({ ...builtinPairData(), nonResources: ['fx_timer_*'] });
    table.learned.observe(await modelOf(DEVICE, 'hw/fx/dev.c'), new Set());
    expect(table.primitive('fx_chan_open')).toMatchObject({ role: 'acquire', counterparts: ['fx_chan_close'], fromFamily: true });
    expect(table.primitive('fx_chan_close')).toMatchObject({ role: 'release', counterparts: ['fx_chan_open'] });
    expect(table.primitive('fx_timer_new_ns')).toBeNull();
    // the built-in table still wins where it has the name
    expect(table.primitive('memory_region_ref')?.fromFamily).toBe(false);
  });

  it('learns a pair only use in one function shows when the release disposes of the value (close, unref, destroy), not a heap free of a looked-up element', async () => {
    const TREE = `
static int fx_backend_check(const char *name)
{
    int fd = fx_lookup_fd(name, NULL);

    if (fd < 0) {
        return -1;
    }
    close(fd);
    return 0;
}

static void fx_entry_drop(FxTable *t, int id)
{
    FxEntry *e = fx_table_find(t, id);

    QTAILQ_REMOVE(&t->entries, e, next);
    g_free(e);
}

static void fx_first_drop(FxTable *t)
{
    FxEntry *e = QTAILQ_FIRST(&t->entries);

    fx_entry_close(e);
}
`;
    const learned = new LearnedPairs();
    learned.observe(await modelOf(TREE, 'hw/fx/backend.c'), new Set());
    const pairs = learned.pairs().map((p) => `${p.acquire}/${p.release}`);
    expect(pairs).toContain('fx_lookup_fd/close');
    expect(pairs).not.toContain('fx_table_find/g_free');
    expect(pairs).not.toContain('QTAILQ_FIRST/fx_entry_close');
  });

  it('learns a heap free only use shows when nearly every call frees what it returned, at three sites or more, and not across a refill', async () => {
    const site = (n: number, callee: string) => `
static void fx_load_${n}(FxState *s, const char *name)
{
    char *path = ${callee}(FX_FILE_BIOS, name);

    fx_use(s, path);
    g_free(path);
}
`;
    // a lookup whose value one caller frees after a refill of the same variable is no maker of it
    const refill = (n: number) => `
static void fx_res_create_${n}(FxState *s, int id)
{
    FxRes *res = fx_res_find(s, id);

    if (res) {
        return;
    }
    res = g_new0(FxRes, 1);
    if (!fx_res_init(s, res)) {
        g_free(res);
        return;
    }
    fx_res_insert(s, res);
}
`;
    const learned = new LearnedPairs();
    const tree = [1, 2, 3].map((n) => site(n, 'fx_find_file') + refill(n)).join('') + site(4, 'fx_find_name') + site(5, 'fx_find_name');
    learned.observe(await modelOf(tree, 'hw/fx/files.c'), new Set());
    const pairs = learned.pairs().map((p) => `${p.acquire}/${p.release}`);
    expect(pairs).toContain('fx_find_file/g_free');
    // two sites are not enough, however consistent
    expect(pairs).not.toContain('fx_find_name/g_free');
    expect(pairs).not.toContain('fx_res_find/g_free');

    // a value most callers keep is a lookup's: three frees of five calls do not make a pair
    const kept = `
static void fx_keep_1(FxState *s) { s->a = fx_find_file(FX_FILE_BIOS, "a"); }
static void fx_keep_2(FxState *s) { s->b = fx_find_file(FX_FILE_BIOS, "b"); }
`;
    const mostlyKept = new LearnedPairs();
    mostlyKept.observe(await modelOf([1, 2, 3].map((n) => site(n, 'fx_find_file')).join('') + kept, 'hw/fx/files.c'), new Set());
    expect(mostlyKept.pairs().map((p) => `${p.acquire}/${p.release}`)).not.toContain('fx_find_file/g_free');
  });

  it('counts a value kept in a g_autofree variable as freed by its function, and not one kept in a g_autoptr', async () => {
    const autofree = (n: number, decl: string) => `
static void fx_load_${n}(FxState *s, const char *name)
{
    ${decl} path = NULL;

    path = fx_find_file(FX_FILE_BIOS, name);
    if (!path) {
        return;
    }
    fx_use(s, path);
}
`;
    const freed = new LearnedPairs();
    freed.observe(await modelOf([1, 2, 3].map((n) => autofree(n, 'g_autofree char *')).join(''), 'hw/fx/files.c'), new Set());
    expect(freed.pairs().map((p) => `${p.acquire}/${p.release}`)).toContain('fx_find_file/g_free');
    // a g_autoptr's cleanup is its type's, not g_free()
    const typed = new LearnedPairs();
    typed.observe(await modelOf([1, 2, 3].map((n) => autofree(n, 'g_autoptr(FxPath)')).join(''), 'hw/fx/files.c'), new Set());
    expect(typed.pairs().map((p) => `${p.acquire}/${p.release}`)).not.toContain('fx_find_file/g_free');
  });

  it('learns a pair whose release verb is no mirror of the acquire verb (a stem with another verb), but never beside a mirror pair', async () => {
    const TREE = `
static int fx_range_add(FxDev *d, FxRange *range)
{
    int r = fx_tree_map_alloc(d->tree, range);

    if (r) {
        return r;
    }
    if (fx_dev_map(d, range)) {
        error_report("cannot map");
        fx_tree_remove(d->tree, range);
        return -1;
    }
    return 0;
}
`;
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(TREE, 'hw/fx/ranges.c'), new Set());
    expect(learned.pairs().map((p) => `${p.acquire}/${p.release}`)).toContain('fx_tree_map_alloc/fx_tree_remove');
    // in DEVICE, open/stop on the same channel are neighbours: open has its mirror close, stop its mirror start
    const device = new LearnedPairs(undefined, never);
    device.observe(await modelOf(DEVICE, 'hw/fx/dev.c'), new Set());
    expect(device.pairs().map((p) => `${p.acquire}/${p.release}`)).not.toContain('fx_chan_open/fx_chan_stop');
  });

  it('gives a variant of a learned acquire its release (`fx_timer_new_ms` from `fx_timer_new_ns`/`fx_timer_free`), never a getter\'s or another stem\'s', async () => {
    const table = new PairTable(builtinPairData());
    table.learned.observe(await modelOf(DEVICE, 'hw/fx/dev.c'), new Set());
    expect(table.primitive('fx_timer_new_ns')).toMatchObject({ role: 'acquire', counterparts: ['fx_timer_free'] });
    // the words after the verb name a variant of the same acquire
    expect(table.primitive('fx_timer_new_ms')).toMatchObject({ role: 'acquire', counterparts: ['fx_timer_free'] });
    expect(table.learned.asAcquire('fx_timer_new_ms')[0]?.variantOf).toBe('fx_timer_new_ns');
    // another stem is no variant; fx_chan_open_ro is one of fx_chan_open (fx_chan_close undoes the stem alone); a getter forms no family
    expect(table.primitive('fx_clock_new_ms')).toBeNull();
    expect(table.primitive('fx_chan_open_ro')).toMatchObject({ role: 'acquire', counterparts: ['fx_chan_close'] });
    expect(table.primitive('fx_chan_get_name')).toBeNull();
  });

  it('gives a name that extends a learned acquire by qualifying words the shorter name\'s release, never a name whose extra word is a verb', async () => {
    const SRC = `
static void fx_dev_realize(DeviceState *dev, Error **errp)
{
    FxDev *s = FX_DEV(dev);

    fx_add_blocker(&s->blocker, errp);
}

static void fx_dev_unrealize(DeviceState *dev)
{
    FxDev *s = FX_DEV(dev);

    fx_del_blocker(&s->blocker);
}

static void fx_dev_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = fx_dev_realize;
    dc->unrealize = fx_dev_unrealize;
}
`;
    const table = new PairTable(builtinPairData());
    table.learned.observe(await modelOf(SRC, 'hw/fx/blocker.c'), new Set());
    expect(table.primitive('fx_add_blocker')).toMatchObject({ role: 'acquire', counterparts: ['fx_del_blocker'] });
    expect(table.primitive('fx_add_blocker_normal')).toMatchObject({ role: 'acquire', counterparts: ['fx_del_blocker'] });
    expect(table.learned.asAcquire('fx_add_blocker_normal')[0]?.variantOf).toBe('fx_add_blocker');
    // the extra words are another action, not a qualifier
    expect(table.primitive('fx_add_blocker_start')).toBeNull();
    expect(table.primitive('fx_add_blocker_free')).not.toMatchObject({ role: 'acquire' });
    expect(qualifiedPrefixes('fx_add_blocker_normal')).toEqual(['fx_add_blocker', 'fx_add']);
    expect(qualifiedPrefixes('fx_add_blocker_start')).toEqual([]);
  });

  it('gives a name that extends a learned acquire the shorter name\'s release before the wider family\'s', async () => {
    const SRC = `
static void fx_a_realize(DeviceState *dev, Error **errp)
{
    FxA *s = FX_A(dev);

    fx_vmstate_register_ram(&s->mr, dev);
    fx_vmstate_register_any(dev, &fx_a_vmstate, s);
}

static void fx_a_unrealize(DeviceState *dev)
{
    FxA *s = FX_A(dev);

    fx_vmstate_unregister_ram(&s->mr, dev);
    fx_vmstate_unregister(dev, &fx_a_vmstate, s);
}

static void fx_a_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = fx_a_realize;
    dc->unrealize = fx_a_unrealize;
}
`;
    const table = new PairTable(builtinPairData());
    table.learned.observe(await modelOf(SRC, 'hw/fx/a.c'), new Set());
    expect(table.primitive('fx_vmstate_register_any')).toMatchObject({ role: 'acquire', counterparts: ['fx_vmstate_unregister'] });
    // `_global` qualifies fx_vmstate_register_ram: its undo, not the family's fx_vmstate_unregister
    expect(table.primitive('fx_vmstate_register_ram_global')).toMatchObject({ role: 'acquire', counterparts: ['fx_vmstate_unregister_ram'] });
    // a name no shorter acquire explains still takes the family's
    expect(table.primitive('fx_vmstate_register_with_alias')).toMatchObject({ role: 'acquire', counterparts: ['fx_vmstate_unregister'] });
  });

  it('learns a qualified acquire led by its verb with the undo of its shorter name, from a paired function', async () => {
    const SRC = `
static int fx_net_init(FxNet *s, Error **errp)
{
    register_fxstate_live("fx-net", FX_ANY, 1, &fx_net_handlers, s->state);
    return 0;
}

static void fx_net_cleanup(FxNet *s)
{
    unregister_fxstate(NULL, "fx-net", s->state);
}
`;
    const table = new PairTable(builtinPairData());
    table.learned.observe(await modelOf(SRC, 'net/fx.c'), new Set());
    expect(table.primitive('register_fxstate_live')).toMatchObject({ role: 'acquire', counterparts: ['unregister_fxstate'] });
  });

  it('learns a value kept in a field from its release in functions named for releasing, at two sites and not one', async () => {
    const SRC = (sites: number, release = 'g_source_remove(c->watch)') => `
static gboolean fx_con_unblocked(void *do_not_use, GIOCondition cond, void *opaque)
{
    return G_SOURCE_REMOVE;
}

static void fx_con_flush(FxCon *c)
{
    c->watch = fx_chr_add_watch(&c->chr, G_IO_OUT, fx_con_unblocked, c);
}
${sites > 1 ? `
static void fx_con_be_change(FxCon *c)
{
    c->watch = fx_chr_add_watch(&c->chr, G_IO_OUT, fx_con_unblocked, c);
}
` : ''}
static void fx_con_unrealize(DeviceState *dev)
{
    FxCon *c = FX_CON(dev);

    ${release};
}
`;
    const pairsOf = async (src: string) => {
      const learned = new LearnedPairs(undefined, never);
      learned.observe(await modelOf(src, 'hw/char/fx-con.c'), new Set());
      return learned.pairs().map((p) => `${p.acquire}/${p.release}`);
    };
    expect(await pairsOf(SRC(2))).toContain('fx_chr_add_watch/g_source_remove');
    expect(await pairsOf(SRC(1))).not.toContain('fx_chr_add_watch/g_source_remove');
    // an undo that reports failure operates on the value, it does not dispose of it
    expect((await pairsOf(SRC(2, 'fx_handler_unplug(c->watch, dev, errp)'))).some((p) => p.startsWith('fx_chr_add_watch/'))).toBe(false);
    // a getter's value is owned elsewhere
    expect((await pairsOf(SRC(2).replaceAll('fx_chr_add_watch', 'fx_chr_get_watch'))).some((p) => p.startsWith('fx_chr_get_watch/'))).toBe(false);
    // a field the file fills from two makers says not which one the release undoes
    const twoMakers = `${SRC(2)}
static void fx_con_poll(FxCon *c)
{
    c->watch = fx_timeout_add(10, fx_con_unblocked, c);
}
`;
    expect((await pairsOf(twoMakers)).some((p) => p.startsWith('fx_chr_add_watch/') || p.startsWith('fx_timeout_add/'))).toBe(false);
  });

  it('learns no pair no name shows from a call handed back its own value (a resize), while its names still pair a reopen', async () => {
    const fns = (make: string) => [1, 2, 3].map((i) => `
static int fx_query_${i}(FxDev *s)
{
    FxInfo *info = NULL;

    info = ${make};
    fx_ioctl(s->fd, FX_GET_INFO, info);
    g_free(info);
    return 0;
}
`).join('');
    const pairsOf = async (src: string) => {
      const learned = new LearnedPairs(undefined, never);
      learned.observe(await modelOf(src, 'hw/fx/query.c'), new Set());
      return learned.pairs().map((p) => `${p.acquire}/${p.release}`);
    };
    expect(await pairsOf(fns('fx_info_make(sizeof(*info))'))).toContain('fx_info_make/g_free');
    expect((await pairsOf(fns('fx_info_grow(info, sizeof(*info))'))).some((p) => p.startsWith('fx_info_grow/'))).toBe(false);
    const REOPEN = `
static void fx_card_realize(DeviceState *dev, Error **errp)
{
    FxCard *s = FX_CARD(dev);

    s->voice = fx_open_in(s->card, s->voice, "fx.in", s);
}

static void fx_card_unrealize(DeviceState *dev)
{
    FxCard *s = FX_CARD(dev);

    fx_close_in(s->card, s->voice);
    s->voice = NULL;
}

static void fx_card_class_init(ObjectClass *oc, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = fx_card_realize;
    dc->unrealize = fx_card_unrealize;
}
`;
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(REOPEN, 'hw/audio/fx.c'), new Set());
    expect(learned.pairs().map((p) => `${p.acquire}/${p.release}`)).toContain('fx_open_in/fx_close_in');
  });

  it('learns an API whose file defines both sides, mirror names on the same parameters, where no caller uses it yet', async () => {
    const SRC = `
void fx_add_ctx_notifier(FxBackend *blk, void (*attached)(void *), void (*detach)(void *), void *opaque)
{
    FxCtxNotifier *n = g_new(FxCtxNotifier, 1);

    n->attached = attached;
    n->detach = detach;
    n->opaque = opaque;
    QLIST_INSERT_HEAD(&blk->notifiers, n, list);
}

void fx_remove_ctx_notifier(FxBackend *blk, void (*attached)(void *), void (*detach)(void *), void *opaque)
{
    fx_ctx_notifier_drop(blk, attached, detach, opaque);
}

int fx_get_reg(FxCpu *cpu, int n)
{
    return cpu->regs[n];
}

int fx_put_reg(FxCpu *cpu, int n)
{
    return fx_write_reg(cpu, n, cpu->regs[n]);
}

void fx_attach_child(FxBus *bus, FxDev *child)
{
    QTAILQ_INSERT_TAIL(&bus->children, child, sibling);
}

void fx_detach_child(FxBus *bus, int index)
{
    fx_bus_drop_index(bus, index);
}
`;
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(SRC, 'block/fx-backend.c'), new Set());
    const pairs = learned.pairs().map((p) => `${p.acquire}/${p.release}`);
    expect(pairs).toContain('fx_add_ctx_notifier/fx_remove_ctx_notifier');
    // an accessor pair is no registration; parameters that differ are no mirror
    expect(pairs).not.toContain('fx_get_reg/fx_put_reg');
    expect(pairs).not.toContain('fx_attach_child/fx_detach_child');
  });

  it('learns a registry keyed by name across paired functions: the release repeats the acquire\'s string key', async () => {
    const SRC = `
static void fx_dev_realize(DeviceState *dev, Error **errp)
{
    FxDev *s = FX_DEV(dev);

    register_fx_state(dev, "fx-ram", 0, 1, &fx_ram_handlers, s);
    register_fx_state(dev, "fx-log", 0, 1, &fx_log_handlers, s);
}

static void fx_dev_unrealize(DeviceState *dev)
{
    FxDev *s = FX_DEV(dev);

    unregister_fx_state(dev, "fx-ram", s);
}

static void fx_dev_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = fx_dev_realize;
    dc->unrealize = fx_dev_unrealize;
}
`;
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(SRC, 'hw/fx/dev.c'), new Set());
    const pair = learned.pairs().find((p) => p.acquire === 'register_fx_state');
    expect(pair).toMatchObject({ release: 'unregister_fx_state', pairedFunctions: 1 });
    // a key the release does not repeat is no evidence: one site, not two
    expect(pair?.support).toBe(1);
  });

  it('learns a registry keyed by a description of the file handed by address across paired functions', async () => {
    const SRC = `
static void fx_dev_realize(DeviceState *dev, Error **errp)
{
    FxDev *s = FX_DEV(dev);

    fx_state_register(FX_IF(s), s->index, &vmstate_fx_dev, s);
    fx_state_register(FX_IF(s), s->index, &vmstate_fx_dev_extra, s);
}

static void fx_dev_unrealize(DeviceState *dev)
{
    FxDev *s = FX_DEV(dev);

    fx_state_unregister(FX_IF(s), &vmstate_fx_dev, s);
    fx_state_unregister(FX_IF(s), &local, s);
}

static void fx_dev_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = fx_dev_realize;
    dc->unrealize = fx_dev_unrealize;
}
`;
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(SRC, 'hw/fx/dev.c'), new Set());
    const pair = learned.pairs().find((p) => p.acquire === 'fx_state_register');
    expect(pair).toMatchObject({ release: 'fx_state_unregister', pairedFunctions: 1 });
    // the description the release does not repeat (`&vmstate_fx_dev_extra`) is no evidence, nor a one-word `&local`
    expect(pair?.support).toBe(1);
  });

  it('learns a registration keyed by more than its instance when both sides hand the instance last, not beside a closer release', async () => {
    const SRC = `
static int fx_migration_init(FxDevice *vdev)
{
    g_autofree char *id = fx_migration_id(vdev);

    register_fx_handlers_live(id, FX_INSTANCE_ANY, 1, &fx_handlers, vdev);
    fx_register_ram(&vdev->ram, FX_DEV(vdev));
    return 0;
}

static void fx_migration_deinit(FxDevice *vdev)
{
    unregister_fx_handlers(FX_IF(vdev->dev), "fx", vdev);
    fx_unregister(FX_IF(vdev), &vmstate_fx_early, vdev);
    fx_unregister_ram(&vdev->ram, FX_DEV(vdev));
}
`;
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(SRC, 'hw/fx/migration.c'), new Set());
    expect(learned.pairs().find((p) => p.acquire === 'register_fx_handlers_live')).toMatchObject({ release: 'unregister_fx_handlers', pairedFunctions: 1 });
    // `fx_register_ram` pairs with `fx_unregister_ram`, which keeps more of its words, not with `fx_unregister`
    expect(learned.pairs().filter((p) => p.acquire === 'fx_register_ram').map((p) => p.release)).toEqual(['fx_unregister_ram']);
  });

  it('keeps no synonym pair for a release that several acquires of one stem claim', async () => {
    const TEST = `
static void fx_test_cancel(FxArgs *args)
{
    FxGuest *from, *to;

    if (fx_mig_open(&from, &to, args)) {
        return;
    }
    fx_mig_prepare_for_dirty_mem(from);
    fx_mig_end(from, to);
}
`;
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(TEST, 'tests/fx/cancel.c'), new Set());
    const pairs = learned.pairs().map((p) => `${p.acquire}/${p.release}`);
    expect(pairs).not.toContain('fx_mig_open/fx_mig_end');
    expect(pairs).not.toContain('fx_mig_prepare_for_dirty_mem/fx_mig_end');
  });
});

describe('constructor wrappers', () => {
  const WRAPPERS = `
FxDevice *fx_dev_new(const char *name)
{
    FxDevice *dev;

    dev = FX_DEVICE(object_new(name));
    dev->id = -1;
    return dev;
}

FxDevice *fx_dev_new_at(const char *name, int nr)
{
    return fx_dev_new(name);
}

FxDevice *fx_dev_new_listed(const char *name)
{
    FxDevice *dev = fx_dev_new(name);

    QTAILQ_INSERT_TAIL(&fx_devices, dev, next);
    return dev;
}

static int fx_chan_open(FxChan *c)
{
    int ret;

    ret = event_notifier_init(&c->notifier, 0);
    if (ret < 0) {
        return ret;
    }
    return ret;
}

static int fx_chan_bind(FxChan *c)
{
    int fd = fx_chan_fd(c);

    if (fd < 0) {
        return -EINVAL;
    }
    return fx_chan_attach(c, fd);
}

void fx_type_probe(const char *name)
{
    Object *obj = object_new(name);

    object_unref(obj);
}
`;
  it('are functions whose every return hands back what one call made, keeping no other hold of it (not a status: a value tested against a number, or a function that returns errnos)', async () => {
    const ev = fileEvidence(await modelOf(WRAPPERS), () => false);
    expect(ev.wrappers).toEqual(['fx_dev_new\u0000object_new', 'fx_dev_new_at\u0000fx_dev_new']);
  });
  it('acquire what they wrap, followed wrapper by wrapper, and leave the table when their file is taken back', async () => {
    const model = await modelOf(WRAPPERS);
    const table = new PairTable(builtinPairData());
    const learned = new LearnedPairs(undefined, (n) => table.isNonResource(n));
    learned.observe(model, new Set());
    table.useLearned(learned);
    expect(table.wrappedAcquire('fx_dev_new_at')?.counterparts).toEqual(['object_unref']);
    expect(table.wrappedAcquire('fx_dev_new_listed')).toBeNull();
    learned.forget({ model, only: null });
    expect(table.wrappedAcquire('fx_dev_new_at')).toBeNull();
  });
});

describe('Error readers learned from the code', () => {
  const SRC = `
void fx_set_error(FxState *s, const Error *err)
{
    s->error = error_copy(err);
}

static void fx_stop_all(FxState *s, Error *err)
{
    if (err) {
        fx_set_error(s, err);
    }
}

static void fx_fail(FxState *s, Error *err)
{
    fx_stop_all(s, err);
    trace_fx_fail(error_get_pretty(err));
}

static void fx_report(FxState *s, Error *err)
{
    fx_stop_all(s, err);
    error_report_err(err);
}

static void fx_ping(FxState *s, Error *err)
{
    fx_pong(s, err);
}

static void fx_pong(FxState *s, Error *err)
{
    fx_ping(s, err);
}
`;
  it('a function reads only when declared const, or when it hands the Error only to readers, through any depth', async () => {
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(SRC, 'migration/fx.c'), new Set());
    const builtin = (n: string) => n === 'error_get_pretty' || n === 'error_copy';
    expect(learned.readsErrorOnly('fx_set_error', builtin)).toBe(true);
    expect(learned.readsErrorOnly('fx_stop_all', builtin)).toBe(true);
    expect(learned.readsErrorOnly('fx_fail', builtin)).toBe(true);
    // error_report_err() frees it
    expect(learned.readsErrorOnly('fx_report', builtin)).toBe(false);
    // a cycle shows nothing about what happens to it
    expect(learned.readsErrorOnly('fx_ping', builtin)).toBe(false);
    // without error_copy() known as a reader, the const declaration still says so
    expect(learned.readsErrorOnly('fx_set_error', never)).toBe(true);
  });
});

describe('functions that never return', () => {
  it('a function the mined code declares G_NORETURN ends its path, as the table\'s exit() does; one only called is not', async () => {
    const table = new PairTable(builtinPairData());
    const header = 'G_NORETURN void fx_fatal(const char *fmt, ...) G_GNUC_PRINTF(1, 2);\nvoid fx_warn(const char *fmt, ...);\n';
    expect(table.endsProgram('fx_fatal')).toBe(false);
    const data = emptyLearnedData();
    addEvidence(data, fileEvidence(await modelOf(header, 'include/hw/fx/fx.h'), never, undefined, header));
    table.learned = new LearnedPairs(data, never);
    expect(table.endsProgram('fx_fatal')).toBe(true);
    expect(table.endsProgram('fx_warn')).toBe(false);
    expect(table.endsProgram('exit')).toBe(true);
    expect(table.endsProgram('g_assert_not_reached')).toBe(true);
  });
});

describe('forwarders', () => {
  const SRC = `
static NotifierList fx_exit_notifiers = NOTIFIER_LIST_INITIALIZER(fx_exit_notifiers);
static NotifierList fx_shutdown_notifiers = NOTIFIER_LIST_INITIALIZER(fx_shutdown_notifiers);

void fx_add_exit_notifier(Notifier *notify)
{
    notifier_list_add(&fx_exit_notifiers, notify);
}

void fx_remove_exit_notifier(Notifier *notify)
{
    notifier_remove(notify);
}

void fx_register_shutdown_notifier(Notifier *notify)
{
    trace_fx_register_shutdown_notifier(notify);
    notifier_list_add(&fx_shutdown_notifiers, notify);
}

char *fx_model_name(FxClass *fc)
{
    return g_strdup_printf("%s-fx", fc->name);
}

void fx_register_checked(Notifier *notify)
{
    if (notify->notify) {
        notifier_list_add(&fx_shutdown_notifiers, notify);
    }
}

static void fx_net_realize(FxNet *s, Error **errp)
{
    s->exit.notify = fx_net_exit;
    fx_add_exit_notifier(&s->exit);
}

static void fx_net_unrealize(FxNet *s)
{
    fx_remove_exit_notifier(&s->exit);
}
`;
  it('are functions whose body is one call handed their own parameter, with no test and no store', async () => {
    const ev = fileEvidence(await modelOf(SRC, 'system/fx.c'), () => false);
    expect(ev.forwards).toEqual([
      'fx_add_exit_notifier\u0000notifier_list_add',
      'fx_remove_exit_notifier\u0000notifier_remove',
      'fx_register_shutdown_notifier\u0000notifier_list_add',
    ]);
  });
  it('carry a pair of two forwarders over to the calls they forward to, and to a forwarder named for acquiring that has no pair of its own', async () => {
    const table = new PairTable(builtinPairData());
    const learned = new LearnedPairs(undefined, (n) => table.isNonResource(n));
    learned.observe(await modelOf(SRC, 'system/fx.c'), new Set());
    const pairs = learned.pairs().map((p) => `${p.acquire}/${p.release}${p.forwardedVia ? ` via ${p.forwardedVia}` : ''}`);
    expect(pairs).toContain('fx_add_exit_notifier/fx_remove_exit_notifier');
    expect(pairs).toContain('notifier_list_add/notifier_remove via fx_add_exit_notifier/fx_remove_exit_notifier');
    expect(pairs).toContain('fx_register_shutdown_notifier/notifier_remove via fx_add_exit_notifier/fx_remove_exit_notifier');
    // not the other forwarders of the release: which list they remove from the forwarding does not show
    expect(pairs.filter((p) => p.startsWith('fx_register_shutdown_notifier/'))).toHaveLength(1);
    table.useLearned(learned);
    expect(table.anyPrimitive('fx_register_shutdown_notifier')?.counterparts).toEqual(['notifier_remove']);
  });
});
