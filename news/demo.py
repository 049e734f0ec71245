"""Demo news and notices, member organisations' own events, an alliance-only training
and the fund's four partners.

The wording is fictitious, written after the seed article's story (marked 演示 in
every title); people, numbers and logos are made up. Runs after the federation,
alliances, events and funds demos; whatever they did not create is left out.
Idempotent: an item whose slug (or title) exists is left alone.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliances.models import Alliance
from events.models import Event
from events.services import event_create, event_publish, member_events
from federation.models import OrganisationMember, Street, User
from funds.models import Donor, Partner
from funds.services import partners as partner_services

from . import services
from .models import Article

DEMO_NOTE = "\n\n*本文为演示数据，内容系根据公开报道虚构改写。*"

PARTNERS = [
    # name, kind, donor name in the ledger (funds demo), since, contribution, story, colour
    (
        "上海塞沃斯户外用品（SWS）",
        Partner.Kind.COMPANY,
        "上海塞沃斯户外用品（SWS）",
        2014,
        "爱心义卖",
        "首家响应“春芽工程”的爱心义卖企业：2014 年启动仪式当天，捐出首场 5 天爱心义卖营业额的 20%，"
        "即 3.6 万元，成为春芽基金的第一笔善款。",
        (46, 125, 50),
    ),
    (
        "城市超市",
        Partner.Kind.COMPANY,
        "",
        2015,
        "每月供应 20 筐专供生蔬",
        "上海城市超市国际企业发展有限公司每月为蔬菜义卖供应 20 筐专供生蔬，由城市福祉社运送到武定路翰林府邸。",
        (33, 97, 140),
    ),
    (
        "上海城市福祉社",
        Partner.Kind.SOCIAL_ORGANISATION,
        "上海城市福祉社",
        2015,
        "每月运送蔬菜、组织义卖",
        "搭乘“大篷车”的顺风车加入“护芽”行列：每月把 20 筐生蔬送到翰林府邸，志愿者“卖力吆喝”，"
        "义卖所得 100% 进入春芽基金。",
        (184, 40, 46),
    ),
    (
        "上海静安幸福益站志愿服务中心",
        Partner.Kind.SOCIAL_ORGANISATION,
        "",
        2014,
        "春芽基金共同发起方",
        "2014 年与社联会共同发起，在上海慈善基金会静安区代表处设立上海首个社会组织人才发展专项基金。",
        (217, 164, 65),
    ),
]


def _logo(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """A plain coloured square as a stand-in logo (no real brand is reproduced)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 120), "white")
    ImageDraw.Draw(image).ellipse((10, 10, 110, 110), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def _seed_partners(stdout, manager: User | None) -> None:
    if manager is None:
        stdout.write("news: no fund manager; partners left out.")
        return
    created = 0
    for position, (name, kind, donor_name, since, contribution, story, colour) in enumerate(
        PARTNERS, start=1
    ):
        if Partner.objects.filter(name=name).exists():
            continue
        partner_services.partner_create(
            acting_user=manager,
            name=name,
            kind=kind,
            donor=Donor.objects.filter(name=donor_name).first() if donor_name else None,
            since_year=since,
            contribution=contribution,
            story=story,
            position=position,
            logo=_logo(colour),
        )
        created += 1
    stdout.write(f"news: {created} new fund partners.")


# slug, category, days ago, pinned, title, summary, body, related event slugs, alliances,
# audience (audience, alliance code or street code)
ARTICLES = [
    (
        "demo-volunteer-day-notice",
        "notice", 6, True,
        "关于参加 12 月 5 日国际志愿者日分享会的通知（演示）",
        "请各会员单位推荐一线志愿者代表参加分享会。",
        "各会员单位：\n\n12 月 5 日是国际志愿者日。社联会将举办“静安志愿服务分享会”，"
        "请各单位推荐 1–2 名一线志愿者代表，在“我的机构”中为其报名。\n\n"
        "- 时间：12 月 5 日下午\n- 内容：志愿服务故事分享、星级志愿者表彰\n",
        ["volunteer-day-2026"], [], ("all_members", ""),
    ),
    (
        "demo-inspection-notice",
        "notice", 20, False,
        "关于做好年度检查和年度报告工作的通知（演示）",
        "社会团体、社会服务机构请于 3 月 31 日前向业务主管单位报送年度报告。",
        "各会员单位：\n\n请按时完成年检年报：社会团体、社会服务机构于 3 月 31 日前报送业务主管单位，"
        "5 月 31 日前报送登记管理机关；基金会于 3 月 31 日前报送。慈善组织请在“慈善中国”按时公开年度报告。\n\n"
        "社联会将在“我的机构 · 年检”中提示各单位的截止日期。",
        [], [], ("all_members", ""),
    ),
    (
        "demo-elderly-training-notice",
        "notice", 10, True,
        "关于报名为老服务联盟本季度技能培训的通知（演示）",
        "认知障碍照护入门培训仅面向为老服务联盟成员单位，名额有限。",
        "为老服务联盟各成员单位：\n\n本季度技能培训聚焦认知障碍照护入门，"
        "面向联盟成员单位的一线社工和志愿者，请在活动页面为本单位人员报名。",
        [], ["elderly"], ("alliance", "elderly"),
    ),
    (
        "demo-pengpu-caravan-notice",
        "notice", 15, False,
        "关于彭浦新村街道社会组织参加“大篷车”便民服务的通知（演示）",
        "欢迎彭浦新村街道的会员单位认领下月“大篷车”服务摊位。",
        "彭浦新村街道各社会组织：\n\n下月“月月·大篷车”将设置健康检测、法律咨询、心理疏导等摊位，"
        "欢迎具备相应资质的单位认领。",
        [], [], ("street", "310106020"),
    ),
    (
        "demo-spring-bud-anniversary",
        "news", 3, False,
        "春芽基金走过第十二个年头：感谢每一位“护芽伙伴”（演示）",
        "从 SWS 的第一笔 3.6 万元善款起步，企业义卖、义演和捐助持续为一线社工助力。",
        "2014 年，社联会与上海静安幸福益站志愿服务中心共同发起“春芽基金”。"
        "启动仪式当天气温寒冷，义卖现场却涌动着暖流：上海塞沃斯户外用品（SWS）"
        "捐出首场 5 天爱心义卖营业额的 20%，即 3.6 万元，成为第一笔善款。\n\n"
        "如今，越来越多的企业和社会组织加入“护芽”行列。",
        [], ["philanthropy"], ("", ""),
    ),
    (
        "demo-vegetable-sale",
        "news", 9, False,
        "20 筐生蔬，100% 进入春芽基金：翰林府邸蔬菜义卖见闻（演示）",
        "城市福祉社每月运来城市超市的专供生蔬，志愿者“卖力吆喝”。",
        "每月一次，上海城市福祉社把 20 筐来自城市超市的专供生蔬运到武定路的翰林府邸。"
        "志愿者们“卖力吆喝”，义卖所得 100% 进入春芽基金。",
        [], ["philanthropy"], ("", ""),
    ),
    (
        "demo-caravan-winter",
        "news", 12, False,
        "风雪无阻：“月月·大篷车”冬季便民服务日（演示）",
        "血压检测、口腔检查、法律咨询、首饰清洗……“大篷车”自 2009 年起每月一次。",
        "无论高温酷暑还是冰雪严寒，“大篷车”自 2009 年至今从未间断。本期共有多家会员单位设摊，"
        "为居民提供血压检测、口腔检查、法律咨询、心理疏导和消防演练。",
        [], ["community"], ("", ""),
    ),
    (
        "demo-festival-review",
        "news", 70, False,
        "公益也时尚：年度公益节回顾（演示）",
        "结合“公益伙伴月”和“中华慈善日”，公益集市、服务体验和表彰仪式同日举行。",
        "每年结合“公益伙伴月”“中华慈善日”举办的公益节，截至 2022 年底已举行 14 届，累计参与人数超 4 万。"
        "今年的公益节设公益集市、《百益宝藏》服务体验和百益先锋表彰等活动。",
        ["festival-2026"], [], ("", ""),
    ),
    (
        "demo-treasury-handbook",
        "news", 40, False,
        "《百益宝藏》：12 大领域 145 项公益体验服务等你预约（演示）",
        "为老服务、健康服务、心理服务、青少年成长、矛盾调处……一册在手，公益可体验。",
        "《百益宝藏》百项公益体验服务手册涵盖为老服务、健康服务、心理服务等 12 大领域的 145 项服务。"
        "居民和单位可按领域查找，并联系提供服务的社会组织预约体验。",
        [], [], ("", ""),
    ),
    (
        "demo-xujiachong",
        "news", 55, False,
        "公益扶贫同行：回访许家冲村“三峡移民扶贫项目”（演示）",
        "公平贸易手工艺培训带动移民妇女就业。",
        "社联会“组团”赴湖北省宜昌市夷陵区许家冲村开展“三峡移民扶贫项目”，"
        "公平贸易机构为移民妇女开展手工艺技艺培训，以手工艺品带动乡村旅游。",
        ["outreach-2026-xujiachong"], ["new-strata"], ("", ""),
    ),
    (
        "demo-youth-team-building",
        "news", 25, False,
        "青年志愿联盟团队建设：静安寻访（演示）",
        "“联情、联智”，青年志愿者骨干在城市寻访中认识彼此。",
        "依托七大联盟，每季度为各联盟领域志愿者开展团队建设和技能培训。本季度青年志愿联盟以“静安寻访”为题，"
        "骨干志愿者分组完成城市定向任务。",
        [], ["youth"], ("", ""),
    ),
    (
        "demo-elderly-training-review",
        "news", 33, False,
        "为老服务联盟技能培训：认知障碍照护入门（演示）",
        "联盟成员单位的一线社工学习与认知障碍老人沟通的方法。",
        "为老服务联盟本季度培训邀请专业照护师讲解认知障碍的早期识别与沟通技巧，并进行情景演练。",
        [], ["elderly"], ("", ""),
    ),
]  # fmt: skip


def _seed_articles(stdout, staff: User | None) -> None:
    if staff is None:
        stdout.write("news: no staff user; no demo news.")
        return
    now = timezone.now()
    created = 0
    for row in ARTICLES:
        slug, category, days_ago, pinned, title, summary, body, events, alliances, target = row
        if Article.objects.filter(slug=slug).exists():
            continue
        audience, code = target
        article = services.article_create(
            acting_user=staff,
            slug=slug,
            category=category,
            title=title,
            summary=summary,
            body=body + DEMO_NOTE,
            is_pinned=pinned,
            published_at=now - datetime.timedelta(days=days_ago, hours=2),
            audience=audience,
            audience_alliance=Alliance.objects.filter(code=code).first()
            if audience == "alliance"
            else None,
            audience_street=Street.objects.filter(code=code).first()
            if audience == "street"
            else None,
            related_events=list(Event.objects.filter(slug__in=events)),
            related_alliances=list(Alliance.objects.filter(code__in=alliances)),
        )
        services.article_publish(article=article, acting_user=staff)
        created += 1
    stdout.write(f"news: {created} new news items and notices (fictitious wording).")


def _in_days(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


MEMBER_EVENTS = [
    # title, kind, days ahead, start hour, end hour, summary, published after review?
    (
        "社区志愿者急救技能公开课（演示）",
        Event.Kind.TRAINING, 18, 14, 16,
        "心肺复苏与止血包扎，由持证急救培训师授课。", True,
    ),
    (
        "长者智能手机互助课堂（演示）",
        Event.Kind.OTHER, 25, 9, 11,
        "青年志愿者一对一教长者用手机挂号、付款和视频通话。", False,
    ),
]  # fmt: skip


def _seed_member_events(stdout, staff: User | None) -> None:
    membership = (
        OrganisationMember.objects.select_related("organisation", "user")
        .filter(role=OrganisationMember.Role.ADMIN, user__email="org@yilu.example")
        .first()
    )
    if membership is None or staff is None:
        stdout.write("news: no demo org admin; member events left out.")
        return
    organisation, admin = membership.organisation, membership.user
    for title, kind, days, start, end, summary, publish in MEMBER_EVENTS:
        if Event.objects.filter(organisation=organisation, title=title).exists():
            continue
        event = member_events.member_event_create(
            organisation=organisation,
            acting_user=admin,
            kind=kind,
            title=title,
            summary=summary,
            description=summary + "\n\n*演示数据，活动为虚构。*",
            starts_at=_in_days(days, start),
            ends_at=_in_days(days, end),
            venue_name=f"{organisation.short_name or organisation.name}活动室",
            street=organisation.street,
            capacity=20,
            visitor_signup=True,
        )
        member_events.member_event_submit(event=event, acting_user=admin)
        if publish:
            member_events.member_event_publish(event=event, acting_user=staff)
    stdout.write("news: member organisation events (one published after review, one awaiting it).")


def _seed_alliance_only_training(stdout, staff: User | None) -> None:
    slug = "elderly-members-training-dementia-care"
    elderly = Alliance.objects.filter(code="elderly").first()
    if staff is None or elderly is None or Event.objects.filter(slug=slug).exists():
        return
    event = event_create(
        acting_user=staff,
        slug=slug,
        kind=Event.Kind.TRAINING,
        title="为老服务联盟成员专场：认知障碍照护进阶培训（演示）",
        summary="仅限为老服务联盟成员单位的一线社工和志愿者报名。",
        description="进阶培训：照护计划制定与家属沟通。\n\n*演示数据，活动为虚构。*",
        starts_at=_in_days(12, 14),
        ends_at=_in_days(12, 17),
        venue_name="静安区社会组织服务中心",
        address="武定路（虚构地址）",
        alliance=elderly,
        audience=Event.Audience.MEMBERS,
        is_alliance_only=True,
        capacity=30,
        per_organisation_limit=3,
    )
    event_publish(event=event, acting_user=staff)
    stdout.write("news: an alliance-only training of the elderly services alliance.")


def seed(stdout) -> None:
    staff = User.objects.filter(email="staff@yilu.example", is_active=True).first()
    manager = User.objects.filter(email="fund@yilu.example", is_active=True).first()
    _seed_alliance_only_training(stdout, staff)
    _seed_member_events(stdout, staff)
    _seed_articles(stdout, staff)
    _seed_partners(stdout, manager)
