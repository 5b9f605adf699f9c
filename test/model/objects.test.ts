/**
 * The object a call works on (objects.ts): the field chain that keys
 * acquires and releases across the two sides of a pair, read from real
 * parses of our own snippets.
 */
import { describe, expect, it } from 'vitest';
import { objectOf, sameObject } from '../../src/model/objects.js';
import { callTo, fn, modelOf } from '../cmodel/helpers.js';

const SNIPPET = `
static int fx_start(FxGpio *gpio, VirtIODevice *vdev)
{
    struct vhost_dev *vhost_dev = &gpio->vhost_dev;
    int ret;

    vfio_notifier_init(vdev, &vdev->intx.unmask, "unmask", 0);
    ret = vhost_dev_init(vhost_dev, &gpio->vhost_user, VHOST_BACKEND_TYPE_USER, 0);
    object_property_add_child(OBJECT(gpio), "bus", OBJECT(&gpio->bus));
    fx_buf_map(gpio->as, &gpio->ring.desc, 4096);
    return ret;
}

static void fx_stop(FxGpio *gpio)
{
    vhost_dev_cleanup(&gpio->vhost_dev);
    fx_buf_unmap(gpio->as, &gpio->ring.used, 4096);
}
`;

describe('objectOf', () => {
  it('is the field a first argument of its own does not name: the first argument is the object, its chain unknown', async () => {
    const model = await modelOf(SNIPPET);
    expect(objectOf(callTo(fn(model, 'fx_start'), 'vhost_dev_init'))).toBeNull();
  });
  it('is the field argument when the first argument is its base (the context, not the object)', async () => {
    const model = await modelOf(SNIPPET);
    expect(objectOf(callTo(fn(model, 'fx_start'), 'vfio_notifier_init'))).toEqual(['intx', 'unmask']);
    expect(objectOf(callTo(fn(model, 'fx_start'), 'object_property_add_child'))).toEqual(['bus']);
  });
  it('is the first field argument when the first argument names a field itself', async () => {
    const model = await modelOf(SNIPPET);
    expect(objectOf(callTo(fn(model, 'fx_start'), 'fx_buf_map'))).toEqual(['as']);
  });
  it('so a cleanup of the device field is not "another object" than an init through a local pointing at it', async () => {
    const model = await modelOf(SNIPPET);
    expect(sameObject(callTo(fn(model, 'fx_start'), 'vhost_dev_init'), callTo(fn(model, 'fx_stop'), 'vhost_dev_cleanup'))).toBe(true);
  });
});

const FEWER = `
static int fx_map(FxHost *e, FxBar *bar, FxDevice *dev, void **map, size_t size)
{
    memory_region_add_subregion(get_system_memory(), e->base_addr, &e->mmio);
    memory_region_add_subregion(get_system_memory(), e->low_base, &e->low);
    *map = mmap(NULL, size, PROT_READ, MAP_SHARED, dev->fd, 0);
    memory_region_add_subregion(fx_bus_space(dev), 0x1000, &e->mmio);
    return 0;
}

static void fx_unmap(FxHost *e, FxBar *bar)
{
    memory_region_del_subregion(get_system_memory(), &e->mmio);
    memory_region_del_subregion(get_system_memory(), &e->high);
    munmap(bar->mmap, bar->size);
}
`;

describe('sameObject, when the release names the object with fewer arguments', () => {
  it('is the same object when every field the release names is among the acquire\'s (no offset to name on the way out)', async () => {
    const model = await modelOf(FEWER);
    const adds = fn(model, 'fx_map').calls.filter((c) => c.callee === 'memory_region_add_subregion');
    const dels = fn(model, 'fx_unmap').calls.filter((c) => c.callee === 'memory_region_del_subregion');
    expect(sameObject(adds[0]!, dels[0]!)).toBe(true);
  });
  it('is another object when the release names a field the acquire does not (another subregion)', async () => {
    const model = await modelOf(FEWER);
    const adds = fn(model, 'fx_map').calls.filter((c) => c.callee === 'memory_region_add_subregion');
    const dels = fn(model, 'fx_unmap').calls.filter((c) => c.callee === 'memory_region_del_subregion');
    expect(sameObject(adds[1]!, dels[1]!)).toBe(false);
  });
  it('has no name for what a call hands back through a pointer: its arguments are what it was made from', async () => {
    const model = await modelOf(FEWER);
    const map = callTo(fn(model, 'fx_map'), 'mmap');
    expect(map.result).toBe('*map');
    expect(objectOf(map)).toBeNull();
    expect(sameObject(map, callTo(fn(model, 'fx_unmap'), 'munmap'))).toBe(true);
  });
  it('reads two calls of one arity place by place: the same subregion added to another container is another add', async () => {
    const model = await modelOf(FEWER);
    const adds = fn(model, 'fx_map').calls.filter((c) => c.callee === 'memory_region_add_subregion');
    expect(sameObject(adds[2]!, adds[0]!)).toBe(false);
  });
});

const CONTAINER = `
static void fx_probe_quirk(FxDev *vdev, int nr)
{
    FxQuirk *quirk = g_new0(FxQuirk, 1);

    memory_region_add_subregion_overlap(&vdev->bars[nr].mem, quirk->base_offset, &quirk->mem, 1);
}

static void fx_unmap_bar(FxDev *vdev, int nr)
{
    FxBar *bar = &vdev->bars[nr];

    memory_region_del_subregion(&bar->mem, &bar->mmap_mem);
}

static void fx_region_map(FxProxy *proxy, FxRegion *region, MemoryRegion *mr)
{
    memory_region_add_subregion(mr, region->offset, &region->mr);
}

static void fx_io_region_unmap(FxProxy *proxy, FxRegion *region)
{
    memory_region_del_subregion(&proxy->io_bar, &region->mr);
}
`;

describe('sameObject, when the release names two objects and one is not among the acquire\'s', () => {
  it('is another object in the same container (the BAR\'s own mmap region is no quirk\'s region)', async () => {
    const model = await modelOf(CONTAINER);
    const add = callTo(fn(model, 'fx_probe_quirk'), 'memory_region_add_subregion_overlap');
    expect(sameObject(add, callTo(fn(model, 'fx_unmap_bar'), 'memory_region_del_subregion'))).toBe(false);
  });
  it('concludes nothing when the acquire takes a plain variable that may stand for it', async () => {
    const model = await modelOf(CONTAINER);
    const add = callTo(fn(model, 'fx_region_map'), 'memory_region_add_subregion');
    expect(sameObject(add, callTo(fn(model, 'fx_io_region_unmap'), 'memory_region_del_subregion'))).toBe(true);
  });
});

describe('sameObject with subscripts', () => {
  const CHANNELS = `
static void fx_realize(FxState *s)
{
    s->chn[0].hs = fx_handler_register(&s->chn[0], &fx_mouse);
    s->chn[1].hs = fx_handler_register(&s->chn[1], &fx_kbd);
    fx_region_add(&s->vga.region[FX_VGA_IO_HI].mem, 3, &s->quirk);
}

static void fx_unrealize(FxState *s)
{
    int i;

    fx_handler_unregister(s->chn[0].hs);
    for (i = 0; i < 2; i++) {
        fx_region_del(&s->vga.region[i].mem, &s->quirk);
    }
}
`;
  it('tells two constant subscripts of one chain apart, and lets a variable subscript stand for any', async () => {
    const model = await modelOf(CHANNELS);
    const realize = fn(model, 'fx_realize');
    const unregister = callTo(fn(model, 'fx_unrealize'), 'fx_handler_unregister');
    const [first, second] = realize.calls.filter((c) => c.callee === 'fx_handler_register');
    expect(sameObject(first!, unregister)).toBe(true);
    expect(sameObject(second!, unregister)).toBe(false);
    // `region[i]` in the teardown's loop may be `region[FX_VGA_IO_HI]`
    expect(sameObject(callTo(realize, 'fx_region_add'), callTo(fn(model, 'fx_unrealize'), 'fx_region_del'))).toBe(true);
  });
});
