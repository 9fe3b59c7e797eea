"""常用语 offered per step, category and place and rendered as text; saved filters are each user's
own (listed, created and deleted by them alone), hold only the list's parameters, render escaped."""

import pytest
from django.urls import reverse

from cases import selectors, services
from cases.models import ReplyTemplate, SavedFilter
from core.models import AuditEntry
from core.scope import SYSTEM
from tests.cases.conftest import category

EVIL = '"><script>window.__x=1</script>'


@pytest.fixture
def replies(world):
    def make(**kwargs):
        return services.save_reply_template(actor=SYSTEM, template=ReplyTemplate(**kwargs))

    return {
        "any": make(title="已联系", text="已电话联系当事人。"),
        "accept": make(title="受理", text="已受理,三日内处理。", step="accept"),
        "urban": make(title="城管", text="已通知城管。", category=category("urban")),
        "fire": make(title="消防", text="已通知消防。", category=category("safety-fire")),
        "k2": make(title="二社区", text="二社区专用。", area=world.areas["K2"]),
        "evil": make(title=EVIL, text=EVIL, step="whistle"),
    }


def test_templates_follow_the_step_the_category_tree_and_the_place(world, report, replies):
    case = report(code="urban-events-clutter")  # at A1 in K1
    offered = selectors.reply_templates(case, {"accept", "reject"})
    assert {r.title for r in offered["accept"]} == {"已联系", "受理", "城管"}
    assert {r.title for r in offered["reject"]} == {"已联系", "城管"}


def test_the_page_offers_them_under_each_step_and_escapes_them(world, report, replies, client_for):
    case = report()
    html = client_for(world.users["community"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
    accept = html.split('data-testid="replies-accept"')[1].split("</select>")[0]
    assert "已受理,三日内处理。" in accept and "二社区专用" not in accept
    assert 'data-reply-to="id_accept_note"' in html
    assert "<script>window.__x=1</script>" not in html
    assert "&lt;script&gt;window.__x=1&lt;/script&gt;" in html.split('data-testid="replies-whistle"')[1]
    assert "js/replies.js" in html


def test_a_saved_filter_is_kept_to_the_lists_parameters(world, client_for):
    client = client_for(world.users["community"])
    response = client.post(
        reverse("cases:saved_filter_create"), {"name": "超期红色", "query": "colour=red&overdue=on&after=xyz&evil=1"}
    )
    saved = SavedFilter.objects.unscoped("test").get()
    assert (saved.user, saved.query) == (world.users["community"], "colour=red&overdue=on")
    assert response["Location"] == f"{reverse('cases:list')}?colour=red&overdue=on"
    html = client.get(reverse("cases:list")).content.decode()
    assert f'href="{reverse("cases:list")}?colour=red&amp;overdue=on">超期红色</a>' in html
    assert AuditEntry.objects.filter(action="saved_filter.save").count() == 1


def test_the_same_name_replaces_and_bad_input_is_refused(world, client_for):
    client = client_for(world.users["community"])
    url = reverse("cases:saved_filter_create")
    client.post(url, {"name": "我的", "query": "colour=red"})
    client.post(url, {"name": "我的", "query": "colour=blue"})
    client.post(url, {"name": "  ", "query": "colour=blue"})
    client.post(url, {"name": "空的", "query": "after=abc"})
    client.post(url, {"name": "x" * 41, "query": "colour=blue"})
    assert list(SavedFilter.objects.unscoped("test").values_list("name", "query")) == [("我的", "colour=blue")]


def test_names_and_terms_render_escaped(world, client_for):
    client = client_for(world.users["community"])
    client.post(reverse("cases:saved_filter_create"), {"name": EVIL[:40], "query": f"q={EVIL}"})
    html = client.get(reverse("cases:list")).content.decode()
    assert "<script>window.__x=1</script>" not in html
    assert SavedFilter.objects.unscoped("test").get().name == EVIL[:40]


def test_each_user_sees_and_deletes_only_their_own(world, client_for):
    mine = services.save_filter(actor=world.users["community"], name="我的", query="colour=red")
    theirs = services.save_filter(actor=world.users["street"], name="街道的", query="colour=blue")
    community = client_for(world.users["community"])
    html = community.get(reverse("cases:list")).content.decode()
    assert "我的" in html and "街道的" not in html
    assert community.post(reverse("cases:saved_filter_delete", args=[theirs.pk])).status_code == 404
    assert community.get(reverse("cases:saved_filter_delete", args=[mine.pk])).status_code == 405
    assert community.post(reverse("cases:saved_filter_delete", args=[mine.pk])).status_code == 302
    assert list(SavedFilter.objects.unscoped("test").values_list("name", flat=True)) == ["街道的"]


def test_a_filter_saved_on_a_work_queue_opens_that_queue(world, client_for, report):
    report(description="楼道杂物")
    client = client_for(world.users["community"])
    url = reverse("cases:saved_filter_create")
    response = client.post(url, {"name": "待受理红色", "query": "colour=red", "queue": "triage"})
    triage = reverse("cases:queue", args=["triage"])
    assert response["Location"] == f"{triage}?colour=red"
    assert SavedFilter.objects.unscoped("test").get().queue == "triage"
    html = client.get(triage, {"colour": "red"}).content.decode()
    assert f'href="{triage}?colour=red">待受理红色</a>' in html
    assert 'name="queue" value="triage"' in html  # saving again from the queue keeps it


def test_a_refused_save_goes_back_to_the_list_it_came_from_with_its_filter(world, client_for):
    client = client_for(world.users["community"])
    url = reverse("cases:saved_filter_create")
    response = client.post(url, {"name": " ", "query": "colour=red&evil=1", "queue": "triage"}, follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('cases:queue', args=['triage'])}?colour=red"
    assert "请为筛选命名" in response.content.decode()
    response = client.post(url, {"name": "无此队列", "query": "colour=red", "queue": "nope"}, follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('cases:list')}?colour=red"
    assert "没有这个待办队列" in response.content.decode()
    assert not SavedFilter.objects.unscoped("test").exists()
